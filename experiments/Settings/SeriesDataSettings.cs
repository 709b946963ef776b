using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Research.Data.TimeSeries;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>How a time series is split chronologically.</summary>
public enum SeriesSplit
{
    /// <summary>Fractions train/valid/test of the rows (valid and test windows start lookback rows earlier).</summary>
    Fractions,

    /// <summary>Informer's ETT protocol: 12/4/4 months (hourly or 15-minute rows).</summary>
    InformerEtt,

    /// <summary>Explicit row counts train/valid/test (split_counts), e.g. the last 24 months for validation and test.</summary>
    Counts,
}

/// <summary>data.* of the forecast task: which series (a CSV of any layout, a registered one, or the sine generator) and how it is windowed and split.</summary>
public sealed class SeriesDataSettings : SourceDataSettings, IValidatedSettings
{
    /// <summary>The sine generator's length in rows (data.name: sine).</summary>
    [Range(1, int.MaxValue)]
    public int SineRows { get; set; } = 10_000;

    /// <summary>The file inside a dataset folder (e.g. ETTh1.csv); null when the folder has one file.</summary>
    public string? File { get; set; }

    /// <summary>The time column's name; null: the rows are the time index and <see cref="Frequency"/> gives the step.</summary>
    public string? TimeColumn { get; set; } = "date";

    /// <summary>The field separator: one character or "tab"; null: tab for .tsv files, a comma otherwise.</summary>
    public string? Delimiter { get; set; }

    /// <summary>Whether the first line names the columns; false: <see cref="Columns"/> names them (else 0, 1, 2, ...).</summary>
    public bool Header { get; set; } = true;

    /// <summary>The names of a headerless file's columns, one per field.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>.NET custom formats for the time column, tried in order (e.g. [y-MM] for "1-01"); empty: ISO-like layouts.</summary>
    public List<string> TimeFormat { get; set; } = [];

    /// <summary>Years written without a century are read into [this, this + 99] (default 1950: "49" is 2049, "50" is 1950).</summary>
    [Range(1, 9899)]
    public int TwoDigitYearStart { get; set; } = TimestampFormat.DefaultTwoDigitYearStart;

    /// <summary>The step between rows (1d, 1h, 15min, 1month, ...): needed without a time column; with one, gaps are measured in it (inferred when null).</summary>
    public string? Frequency { get; set; }

    /// <summary>The first row's time when the rows are the time index (no time column).</summary>
    public string Start { get; set; } = "2000-01-01";

    /// <summary>Missing steps and empty cells: error (default, lists them), forward, linear, or none (rows read as they are).</summary>
    public FillMissing FillMissing { get; set; } = FillMissing.Error;

    /// <summary>Target columns; empty means every numeric column (multivariate).</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Extra input columns that are not forecast.</summary>
    public List<string> Covariates { get; set; } = [];

    /// <summary>Calendar covariates computed from the time column (month, day_of_week, hour, day_of_month, minute).</summary>
    public List<CalendarFields> Calendar { get; set; } = [];

    [Range(1, 1_000_000)]
    public int Lookback { get; set; } = 96;

    [Range(1, 1_000_000)]
    public int Horizon { get; set; } = 24;

    [Range(1, 1_000_000)]
    public int Stride { get; set; } = 1;

    public SeriesSplit Split { get; set; } = SeriesSplit.Fractions;

    [Range(0.0, 1.0)]
    public List<double> SplitFractions { get; set; } = [0.7, 0.1, 0.2];

    [Range(0, int.MaxValue)]
    public List<int> SplitCounts { get; set; } = [];

    /// <summary>Season length in rows (12 for monthly data); when set, the test split also scores the seasonal-naive forecast.</summary>
    [Range(0, 1_000_000)]
    public int Season { get; set; }

    /// <summary>standard (z-score), min_max or none; fitted on the training rows only.</summary>
    public ScalerKind Scaler { get; set; } = ScalerKind.Standard;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Split == SeriesSplit.Counts && SplitCounts.Count != 3)
            yield return new(nameof(SplitCounts), $"needs three row counts (train, valid, test) for split: counts, got [{string.Join(", ", SplitCounts)}]");
        if (SplitFractions.Count != 3 || Math.Abs(SplitFractions.Sum() - 1) > 1e-9)
            yield return new(nameof(SplitFractions), $"needs three fractions (train, valid, test) summing to 1, got [{string.Join(", ", SplitFractions)}]");
        if (Season > Lookback)
            yield return new(nameof(Season), $"the seasonal-naive forecast repeats the last season of the lookback: season {Season} must be at most lookback {Lookback}");
        if (Header && Columns.Count > 0)
            yield return new(nameof(Columns), "names the columns of a headerless file: set header: false, or leave columns out to use the header's names");
        if (Delimiter is not null && SeparatorChar() is null)
            yield return new(nameof(Delimiter), $"must be one character or 'tab', got '{Delimiter}'");
        if (Frequency is not null && !TryFrequency(out _))
            yield return new(nameof(Frequency), $"cannot read '{Frequency}' as a step: write a count and a unit, e.g. 1d, 15min, 1h, 1w, 1month, 1q, 1y");
        if (TimeColumn is null && Frequency is null)
            yield return new(nameof(Frequency), "the rows are the time index (time_column: null): give the step between rows, e.g. frequency: 1d");
        if (!TryStart(out _))
            yield return new(nameof(Start), $"cannot read '{Start}' as a date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss)");
        if (TimeFormat.Any(string.IsNullOrWhiteSpace))
            yield return new(nameof(TimeFormat), "a time format cannot be empty");
    }

    /// <summary>The separator for a file at <paramref name="path"/>: <see cref="Delimiter"/>, else by extension.</summary>
    public char Separator(string path) => SeparatorChar() ?? TimeSeriesCsvOptions.SeparatorFor(path);

    /// <summary>The step of <see cref="Frequency"/>, null when not given (validation has checked it reads).</summary>
    public SeriesFrequency? Step() => TryFrequency(out var step) ? step : null;

    /// <summary>The parsed <see cref="Start"/> (validation has checked it reads).</summary>
    public DateTime StartTime() => TryStart(out var start) ? start : new DateTime(2000, 1, 1);

    private char? SeparatorChar() => Delimiter switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } one => one[0],
        _ => null,
    };

    private bool TryFrequency(out SeriesFrequency step)
    {
        step = default;
        if (Frequency is null)
            return false;
        try
        {
            step = SeriesFrequency.Parse(Frequency);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private bool TryStart(out DateTime start) =>
        DateTime.TryParseExact(Start, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out start);
}
