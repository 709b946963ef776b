namespace Research.Data.TimeSeries;

/// <summary>Which columns of a CSV file make up a time series, and how strict reading is.</summary>
public sealed record TimeSeriesCsvOptions
{
    /// <summary>ISO-like layouts tried in order when <see cref="TimeFormats"/> is not given (ETT, the TSDL monthly files).</summary>
    public static IReadOnlyList<string> DefaultTimeFormats { get; } =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd", "yyyy-MM",
    ];

    /// <summary>The header name of the time column (e.g. "date" for ETT, "Month" for airline passengers).</summary>
    public required string TimeColumn { get; init; }

    /// <summary>The numeric columns to read, in this order; null reads every column except the time column.</summary>
    public IReadOnlyList<string>? ValueColumns { get; init; }

    /// <summary>Exact timestamp layouts (invariant culture); null means <see cref="DefaultTimeFormats"/>.</summary>
    public IReadOnlyList<string>? TimeFormats { get; init; }

    /// <summary>
    /// False (default): an empty or NaN cell is an error naming its line and column. True: it becomes NaN, for data
    /// where missing values are expected and handled downstream.
    /// </summary>
    public bool AllowMissingValues { get; init; }

    public char Separator { get; init; } = ',';
}
