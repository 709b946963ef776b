namespace Research.Data.TimeSeries;

public enum SplitPart
{
    Train,
    Validation,
    Test,
}

/// <summary>
/// The rows [Start, End) a split owns, plus the <see cref="ContextRows"/> before Start that its windows may read as
/// lookback (Informer's border1 = Start - seq_len for validation and test; zero for train). Only the owned rows are
/// ever forecast targets, so no target row is shared between splits.
/// </summary>
public readonly record struct SplitRange(int Start, int End, int ContextRows)
{
    /// <summary>The first row a window of this split reads (Informer's border1).</summary>
    public int WindowStart => Start - ContextRows;

    /// <summary>Rows the split owns (Informer's border2 - border1 without the context).</summary>
    public int OwnRows => End - Start;

    /// <summary>Rows its windows read, context included (len(data_x) in Informer).</summary>
    public int RowsWithContext => End - WindowStart;

    /// <summary>
    /// Windows of <paramref name="lookback"/> inputs and <paramref name="horizon"/> targets every
    /// <paramref name="stride"/> rows; for stride 1 this is Informer's __len__: len(data_x) - seq_len - pred_len + 1.
    /// </summary>
    public int WindowCount(int lookback, int horizon, int stride = 1) =>
        SlidingWindows.CountFor(RowsWithContext, lookback, horizon, stride);

    public override string ToString() => $"rows [{Start}, {End}) reading from {WindowStart}";
}
