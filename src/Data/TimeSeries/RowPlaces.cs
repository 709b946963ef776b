namespace Research.Data.TimeSeries;

/// <summary>
/// How messages name a place in a series' origin: <see cref="At"/> prefixes a message about row r ("data.csv:7" for a
/// file, "DataFrame row 5" in memory), <see cref="Row"/> names it inside a message ("line 7", "row 5"),
/// <see cref="Column"/> names value column j ("column 3 'b'") and <see cref="TimeColumn"/> the time column.
/// </summary>
public sealed record RowPlaces(Func<int, string> At, Func<int, string> Row, Func<int, string> Column, string TimeColumn);
