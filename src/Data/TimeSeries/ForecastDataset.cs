using static TorchSharp.torch;

namespace Research.Data.TimeSeries;

/// <summary>
/// A series made ready for a forecaster in the one order that cannot leak: split first, fit the scaler on the
/// training rows of that split only, scale every row with it, append calendar covariates, then cut windows per split.
/// There is no way to hand it a scaler fitted elsewhere or to fit on other rows.
/// </summary>
public sealed class ForecastDataset
{
    private ForecastDataset(ChronologicalSplit split, ForecastColumns columns, ColumnScaler? scaler, TimeSeriesFrame frame)
    {
        Split = split;
        Columns = columns;
        Scaler = scaler;
        Frame = frame;
    }

    public ChronologicalSplit Split { get; }

    public ForecastColumns Columns { get; }

    /// <summary>Fitted on the training rows only; null for <see cref="ScalerKind.None"/>.</summary>
    public ColumnScaler? Scaler { get; }

    /// <summary>Every row of the series as the model sees it: scaled targets, scaled covariates, then calendar columns.</summary>
    public TimeSeriesFrame Frame { get; }

    public IReadOnlyList<string> InputColumns => Frame.ColumnNames;

    public IReadOnlyList<string> TargetColumns => Columns.Targets;

    public static ForecastDataset Prepare(
        TimeSeriesFrame frame,
        ChronologicalSplit split,
        ForecastColumns columns,
        ScalerKind scaling = ScalerKind.Standard,
        CalendarFields calendar = CalendarFields.None)
    {
        if (split.Source != frame.Source || split.TotalRows != frame.RowCount)
            throw new ArgumentException($"the split was made for {split.Source} ({split.TotalRows} rows), not for {frame.Source} ({frame.RowCount} rows).", nameof(split));
        var numeric = frame.SelectColumns(columns.Inputs);
        var training = numeric.Rows(split.Train.Start, split.Train.OwnRows);
        ColumnScaler? scaler = scaling switch
        {
            ScalerKind.None => null,
            ScalerKind.Standard => StandardScaler.Fit(training, columns.Inputs),
            ScalerKind.MinMax => MinMaxScaler.Fit(training, columns.Inputs),
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null),
        };
        var model = scaler?.Transform(numeric) ?? numeric;
        if (calendar != CalendarFields.None)
            model = model.AppendColumns(CalendarFeatures.Encode(frame, calendar));
        return new ForecastDataset(split, columns, scaler, model);
    }

    /// <summary>Windows of one split with the split's lookback; targets are always rows the split owns.</summary>
    public SlidingWindows Windows(SplitPart part, int horizon, int stride = 1)
    {
        var range = Split[part];
        return SlidingWindows.Create(Frame.Rows(range.WindowStart, range.RowsWithContext), InputColumns, TargetColumns, Split.Lookback, horizon, stride);
    }

    /// <summary>Predictions or targets [..., targets] back in the original units.</summary>
    public Tensor ToOriginalUnits(Tensor scaledTargets) =>
        Scaler?.InverseTransform(scaledTargets, TargetColumns) ?? scaledTargets.clone();
}
