using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.TimeSeries;

public enum ScalerKind
{
    None,
    Standard,
    MinMax,
}

/// <summary>
/// A per-column affine map scaled = (x - offset) / scale, fitted once and then fixed. Instances are created fitted:
/// from the training rows by <see cref="ForecastDataset.Prepare"/>, or from saved statistics, never from a whole series.
/// </summary>
public abstract class ColumnScaler
{
    private readonly string[] columns;
    private readonly double[] offset;
    private readonly double[] scale;

    private protected ColumnScaler(IReadOnlyList<string> columns, double[] offset, double[] scale)
    {
        if (offset.Length != columns.Count || scale.Length != columns.Count)
            throw new ArgumentException($"{columns.Count} columns need {columns.Count} statistics each, got {offset.Length} and {scale.Length}.");
        if (scale.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("every scale must be positive and finite.", nameof(scale));
        this.columns = [.. columns];
        this.offset = offset;
        this.scale = scale;
    }

    /// <summary>The columns the scaler was fitted on, in the order of its statistics.</summary>
    public IReadOnlyList<string> Columns => columns;

    public double Transform(string column, double value) => (value - offset[ColumnIndex(column)]) / scale[ColumnIndex(column)];

    public double InverseTransform(string column, double value) => (value * scale[ColumnIndex(column)]) + offset[ColumnIndex(column)];

    /// <summary>Scales the fitted columns of <paramref name="frame"/>; its other columns (e.g. calendar features) pass unchanged.</summary>
    public TimeSeriesFrame Transform(TimeSeriesFrame frame) => Map(frame, inverse: false);

    public TimeSeriesFrame InverseTransform(TimeSeriesFrame frame) => Map(frame, inverse: true);

    /// <summary>
    /// Back to original units, e.g. predictions [N, horizon, targets]: the last dimension holds <paramref name="lastDimColumns"/>.
    /// Returns a new tensor of the input's dtype and device.
    /// </summary>
    public Tensor InverseTransform(Tensor scaled, IReadOnlyList<string> lastDimColumns)
    {
        var (o, s) = Statistics(scaled, lastDimColumns);
        // An explicit Scalar held across the call: an implicit one can be finalised while libtorch reads it.
        using var one = 1.0.ToScalar();
        using (o)
        using (s)
            return torch.addcmul(o, scaled, s, value: one); // one op: no intermediate tensor left to the finalizer
    }

    public Tensor Transform(Tensor original, IReadOnlyList<string> lastDimColumns)
    {
        var (o, s) = Statistics(original, lastDimColumns);
        using (o)
        using (s)
            return (original - o).div_(s);
    }

    private (Tensor Offset, Tensor Scale) Statistics(Tensor like, IReadOnlyList<string> lastDimColumns)
    {
        if (like.dim() == 0 || like.shape[^1] != lastDimColumns.Count)
            throw new ArgumentException($"the tensor's last dimension must hold the {lastDimColumns.Count} columns named, shape is [{string.Join(", ", like.shape)}].");
        var index = lastDimColumns.Select(ColumnIndex).ToArray();
        var o = torch.tensor(index.Select(i => offset[i]).ToArray(), dtype: like.dtype, device: like.device);
        var s = torch.tensor(index.Select(i => scale[i]).ToArray(), dtype: like.dtype, device: like.device);
        return (o, s);
    }

    private TimeSeriesFrame Map(TimeSeriesFrame frame, bool inverse)
    {
        var width = frame.ColumnCount;
        var fitted = new int[width];
        for (var c = 0; c < width; c++)
            fitted[c] = Array.IndexOf(columns, frame.ColumnNames[c]);
        var missing = columns.FirstOrDefault(c => !frame.ColumnNames.Contains(c));
        if (missing is not null)
            throw new ArgumentException($"{frame.Source} has no column '{missing}', which this scaler was fitted on.", nameof(frame));
        var values = frame.Values.ToArray();
        for (var r = 0; r < frame.RowCount; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var k = fitted[c];
                if (k < 0)
                    continue;
                ref var v = ref values[(r * width) + c];
                v = inverse ? (v * scale[k]) + offset[k] : (v - offset[k]) / scale[k];
            }
        }
        return TimeSeriesFrame.Wrap(frame.Source, frame.Timestamps.ToArray(), [.. frame.ColumnNames], values);
    }

    private int ColumnIndex(string column)
    {
        var index = Array.IndexOf(columns, column);
        return index >= 0 ? index : throw new ArgumentException($"this scaler was not fitted on column '{column}' (it has {string.Join(", ", columns)}).", nameof(column));
    }

    /// <summary>Training values of one column, refusing NaN: statistics over missing values would poison every row.</summary>
    private protected static double[] TrainingColumn(TimeSeriesFrame training, string column)
    {
        var values = training.Column(column);
        if (values.Length == 0)
            throw DataException.In(training.Source, "cannot fit a scaler on zero training rows");
        var nan = Array.FindIndex(values, double.IsNaN);
        if (nan >= 0)
            throw DataException.In(training.Source, $"column '{column}' is missing a value at training row {nan}; fill or drop missing values before fitting a scaler");
        return values;
    }
}

/// <summary>
/// z-score per column with the POPULATION standard deviation (ddof = 0), as sklearn's StandardScaler and Informer's
/// own StandardScaler (numpy .std(0)) use, so scaled values and MSE on the normalised scale match the papers.
/// A constant column gets scale 1 (sklearn's rule) rather than a division by zero.
/// </summary>
public sealed class StandardScaler : ColumnScaler
{
    /// <summary>From saved statistics.</summary>
    public StandardScaler(IReadOnlyList<string> columns, IReadOnlyList<double> mean, IReadOnlyList<double> std)
        : base(columns, [.. mean], [.. std])
    {
        Mean = [.. mean];
        Std = [.. std];
    }

    public IReadOnlyList<double> Mean { get; }

    public IReadOnlyList<double> Std { get; }

    internal static StandardScaler Fit(TimeSeriesFrame training, IReadOnlyList<string> columns)
    {
        var mean = new double[columns.Count];
        var std = new double[columns.Count];
        for (var j = 0; j < columns.Count; j++)
        {
            var x = TrainingColumn(training, columns[j]);
            mean[j] = x.Sum() / x.Length;
            var m = mean[j];
            // Two passes: the textbook E[x^2] - E[x]^2 loses digits on series with a large offset (e.g. 300 K).
            var variance = x.Sum(v => (v - m) * (v - m)) / x.Length;
            std[j] = variance > 0 ? Math.Sqrt(variance) : 1.0;
        }
        return new StandardScaler(columns, mean, std);
    }
}

/// <summary>Min-max to [0, 1] per column (sklearn's MinMaxScaler default); a constant column gets range 1.</summary>
public sealed class MinMaxScaler : ColumnScaler
{
    public MinMaxScaler(IReadOnlyList<string> columns, IReadOnlyList<double> min, IReadOnlyList<double> max)
        : base(columns, [.. min], [.. min.Zip(max, (lo, hi) => hi > lo ? hi - lo : 1.0)])
    {
        Min = [.. min];
        Max = [.. max];
    }

    public IReadOnlyList<double> Min { get; }

    public IReadOnlyList<double> Max { get; }

    internal static MinMaxScaler Fit(TimeSeriesFrame training, IReadOnlyList<string> columns)
    {
        var data = columns.Select(c => TrainingColumn(training, c)).ToArray();
        return new MinMaxScaler(columns, [.. data.Select(x => x.Min())], [.. data.Select(x => x.Max())]);
    }
}
