using Research.Data;

namespace Research.Experiments.Cli;

/// <summary>The closest known name by edit distance, phrased as a hint for an error line.</summary>
public static class DidYouMean
{
    public static string Suggest(string given, IEnumerable<string> known, string prefix = "")
    {
        var best = known
            .Select(k => (name: k, distance: Score(given, k)))
            .Where(k => k.distance <= Math.Max(2, given.Length / 3))
            .OrderBy(k => k.distance)
            .ThenBy(k => k.name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.name is null ? "" : $" (did you mean {prefix}{best.name}?)";
    }

    // A typo in the start of a longer name ("hiden" for "hidden_size") counts as one edit more than the typo itself.
    private static int Score(string given, string candidate) => candidate.Length > given.Length
        ? Math.Min(EditDistance.Between(given, candidate), EditDistance.Between(given, candidate[..(given.Length + 1)]) + 1)
        : EditDistance.Between(given, candidate);
}
