namespace Research.Data.TimeSeries;

/// <summary>The message for a column name that is not in the header: the closest known name and all of them.</summary>
internal static class ColumnNameSuggestion
{
    public static string UnknownColumn(string wanted, IReadOnlyList<string> available)
    {
        var closest = available
            .Select(name => (name, distance: EditDistance(wanted.ToUpperInvariant(), name.ToUpperInvariant())))
            .OrderBy(p => p.distance)
            .FirstOrDefault();
        // A suggestion that needs more edits than half the name is noise, not help.
        var hint = closest.name is not null && closest.distance <= Math.Max(1, wanted.Length / 2)
            ? $"; did you mean '{closest.name}'?"
            : "";
        return $"unknown column '{wanted}'{hint} (available: {string.Join(", ", available)})";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
