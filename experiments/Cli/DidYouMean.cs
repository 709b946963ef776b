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
        ? Math.Min(Distance(given, candidate), Distance(given, candidate[..(given.Length + 1)]) + 1)
        : Distance(given, candidate);

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
