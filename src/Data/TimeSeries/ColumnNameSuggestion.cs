namespace Research.Data.TimeSeries;

/// <summary>The message for a column name that is not in the header: the closest known name and all of them.</summary>
internal static class ColumnNameSuggestion
{
    public static string UnknownColumn(string wanted, IReadOnlyList<string> available)
    {
        var closest = available
            .Select(name => (name, distance: EditDistance.Between(wanted.ToUpperInvariant(), name.ToUpperInvariant())))
            .OrderBy(p => p.distance)
            .FirstOrDefault();
        // A suggestion that needs more edits than half the name is noise, not help.
        var hint = closest.name is not null && closest.distance <= Math.Max(1, wanted.Length / 2)
            ? $"; did you mean '{closest.name}'?"
            : "";
        return $"unknown column '{wanted}'{hint} (available: {string.Join(", ", available)})";
    }
}
