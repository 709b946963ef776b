namespace Research.Data.TimeSeries;

/// <summary>
/// Train, validation and test as consecutive row ranges, in time order (never shuffled across time). Validation and
/// test windows start <see cref="Lookback"/> rows early so their first forecast can see a full lookback, exactly as
/// Informer's Dataset_ETT_* (border1s) and Autoformer's Dataset_Custom do; train starts at row 0. Rows after the test
/// range are unused (Informer's ETT protocol uses 20 of the 24 months).
/// </summary>
public sealed record ChronologicalSplit
{
    private ChronologicalSplit(string source, int totalRows, int lookback, SplitRange train, SplitRange validation, SplitRange test)
    {
        Source = source;
        TotalRows = totalRows;
        Lookback = lookback;
        Train = train;
        Validation = validation;
        Test = test;
    }

    public string Source { get; }

    public int TotalRows { get; }

    public int Lookback { get; }

    public SplitRange Train { get; }

    public SplitRange Validation { get; }

    public SplitRange Test { get; }

    public SplitRange this[SplitPart part] => part switch
    {
        SplitPart.Train => Train,
        SplitPart.Validation => Validation,
        SplitPart.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, null),
    };

    /// <summary>The first <paramref name="trainRows"/> rows train, the next validate, the next test.</summary>
    public static ChronologicalSplit ByCounts(TimeSeriesFrame frame, int trainRows, int validationRows, int testRows, int lookback)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lookback);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainRows);
        ArgumentOutOfRangeException.ThrowIfNegative(validationRows);
        ArgumentOutOfRangeException.ThrowIfNegative(testRows);
        var used = (long)trainRows + validationRows + testRows;
        if (used > frame.RowCount)
            throw DataException.In(frame.Source, $"the split needs {trainRows} + {validationRows} + {testRows} = {used} rows, but the series has {frame.RowCount}");
        if (lookback > trainRows)
            throw new ArgumentException($"lookback {lookback} is longer than the {trainRows} training rows: validation windows would read before the series starts.", nameof(lookback));
        var validationStart = trainRows;
        var testStart = trainRows + validationRows;
        return new(frame.Source, frame.RowCount, lookback,
            new SplitRange(0, trainRows, 0),
            new SplitRange(validationStart, testStart, lookback),
            new SplitRange(testStart, testStart + testRows, lookback));
    }

    /// <summary>
    /// Fractions of all rows. As in Autoformer's Dataset_Custom: train = floor(n * train), test = floor(n * test);
    /// when the fractions add up to 1 validation takes the rest (so no row is lost to rounding), else floor(n * validation).
    /// </summary>
    public static ChronologicalSplit ByFractions(TimeSeriesFrame frame, double train, double validation, double test, int lookback)
    {
        if (train <= 0 || validation < 0 || test < 0 || train + validation + test > 1 + 1e-9)
            throw new ArgumentException($"fractions {train}, {validation}, {test} must be non-negative (train positive) and add up to at most 1.");
        var n = frame.RowCount;
        var trainRows = (int)Math.Floor(n * train);
        var testRows = (int)Math.Floor(n * test);
        var validationRows = Math.Abs(train + validation + test - 1) < 1e-9 ? n - trainRows - testRows : (int)Math.Floor(n * validation);
        return ByCounts(frame, trainRows, validationRows, testRows, lookback);
    }

    /// <summary>
    /// Informer's ETT protocol (Zhou et al. 2021, data_loader.py): 12/4/4 months of 30 days, i.e. train [0, 8640),
    /// validation [8640, 11520), test [11520, 14400) hourly, times 4 for 15-minute data; validation and test windows
    /// start seq_len = <paramref name="lookback"/> rows early. Checks that the frame really has the stated step.
    /// </summary>
    public static ChronologicalSplit InformerEtt(TimeSeriesFrame frame, EttGranularity granularity, int lookback)
    {
        var (perHour, expected) = granularity == EttGranularity.Hourly ? (1, SeriesFrequency.Hourly) : (4, SeriesFrequency.FifteenMinutes);
        var index = TimeIndexAnalysis.Analyze(frame);
        if (index.Frequency != expected)
            throw DataException.In(frame.Source, $"the Informer ETT split for {granularity} data needs a {expected} step, but the series steps every {index.Frequency}");
        // The protocol counts rows as time (8640 rows = 12 months): with gaps, the borders would fall on other dates.
        if (!index.IsRegular)
            throw DataException.In(frame.Source, $"the Informer ETT split needs a gap-free series, found {index}");
        const int Month = 30 * 24;
        return ByCounts(frame, 12 * Month * perHour, 4 * Month * perHour, 4 * Month * perHour, lookback);
    }
}
