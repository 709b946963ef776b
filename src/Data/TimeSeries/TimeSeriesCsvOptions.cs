namespace Research.Data.TimeSeries;

/// <summary>
/// How a delimited text file (or a DataFrame, which ignores the file-only options) becomes a time series: which
/// columns, how time is read, and what happens to missing steps.
/// </summary>
public sealed record TimeSeriesCsvOptions
{
    /// <summary>The time column's name (e.g. "date" for ETT, "Month" for airline passengers); null: the rows are the
    /// time index, <see cref="Start"/> plus one <see cref="Frequency"/> per row.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>The numeric columns to read, in this order; null reads every column except the time column.</summary>
    public IReadOnlyList<string>? ValueColumns { get; init; }

    /// <summary>Exact timestamp layouts (invariant culture); null means <see cref="TimestampFormat.DefaultFormats"/>.</summary>
    public IReadOnlyList<string>? TimeFormats { get; init; }

    /// <summary>Years written without a century fall in [this, this + 99] (see <see cref="TimestampFormat"/>).</summary>
    public int TwoDigitYearStart { get; init; } = TimestampFormat.DefaultTwoDigitYearStart;

    /// <summary>The step between rows: required without a time column; with one, the step gaps are measured in
    /// (inferred from the timestamps when null).</summary>
    public SeriesFrequency? Frequency { get; init; }

    /// <summary>The first row's time when the rows are the time index.</summary>
    public DateTime Start { get; init; } = new(2000, 1, 1);

    /// <summary>Missing steps and empty cells: an error listing them (default), filled, or read as they are.</summary>
    public FillMissing FillMissing { get; init; } = FillMissing.Error;

    /// <summary>
    /// Empty or NaN cells become NaN instead of an error (and stay NaN unless <see cref="FillMissing"/> fills them),
    /// for data where missing values are handled downstream.
    /// </summary>
    public bool AllowMissingValues { get; init; }

    public char Separator { get; init; } = ',';

    /// <summary>False: the first line is data, and <see cref="ColumnNames"/> (else 0, 1, 2, ... as pandas) names the columns.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The names of a headerless file's columns, one per field.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>The separator a file's extension implies: tab for .tsv, a comma otherwise (.csv, .txt).</summary>
    public static char SeparatorFor(string path) => Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
}
