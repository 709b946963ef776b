using static TorchSharp.torch;

namespace Research.Data.TimeSeries;

/// <summary>Inputs [N, lookback, inputFeatures] and targets [N, horizon, targets], float32, for the windows in <see cref="Windows"/>.</summary>
public sealed class WindowBatch(Tensor inputs, Tensor targets, int[] windows) : IDisposable
{
    public Tensor Inputs { get; } = inputs;

    public Tensor Targets { get; } = targets;

    /// <summary>Which windows (0-based, in time order) the batch rows are.</summary>
    public IReadOnlyList<int> Windows { get; } = windows;

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// Forecasting windows over a frame: window k reads input rows [k*stride, k*stride + lookback) and targets the next
/// horizon rows. Batches are built lazily: the frame is kept once as float32 row-major, where a window is one
/// contiguous slice, so a batch costs batch-size memory copies. Materialising every window would copy each row
/// lookback times (ETTm1 train, lookback 672: 34k windows x 672 x 7 floats = 0.6 GB), so <see cref="All"/> is for
/// small series and evaluation only.
/// </summary>
public sealed class SlidingWindows
{
    private readonly float[] inputs;
    private readonly float[] targets;
    private readonly DateTime[] timestamps;

    private SlidingWindows(TimeSeriesFrame frame, IReadOnlyList<string> inputColumns, IReadOnlyList<string> targetColumns, int lookback, int horizon, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lookback);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (inputColumns.Count == 0 || targetColumns.Count == 0)
            throw new ArgumentException("windows need at least one input and one target column.");
        Lookback = lookback;
        Horizon = horizon;
        Stride = stride;
        InputColumns = [.. inputColumns];
        TargetColumns = [.. targetColumns];
        inputs = ToFloat(frame.SelectColumns(inputColumns));
        targets = ToFloat(frame.SelectColumns(targetColumns));
        timestamps = frame.Timestamps.ToArray();
        Count = CountFor(frame.RowCount, lookback, horizon, stride);
    }

    /// <summary>Windows over all rows of <paramref name="frame"/>; inputs and targets are columns of it by name.</summary>
    public static SlidingWindows Create(TimeSeriesFrame frame, IReadOnlyList<string> inputColumns, IReadOnlyList<string> targetColumns, int lookback, int horizon, int stride = 1) =>
        new(frame, inputColumns, targetColumns, lookback, horizon, stride);

    /// <summary>floor((rows - lookback - horizon) / stride) + 1, or 0 when not even one window fits.</summary>
    public static int CountFor(int rows, int lookback, int horizon, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        return rows < lookback + horizon ? 0 : ((rows - lookback - horizon) / stride) + 1;
    }

    public int Count { get; }

    public int Lookback { get; }

    public int Horizon { get; }

    public int Stride { get; }

    public IReadOnlyList<string> InputColumns { get; }

    public IReadOnlyList<string> TargetColumns { get; }

    /// <summary>The time of the first forecast step of window <paramref name="window"/>.</summary>
    public DateTime ForecastStart(int window) => timestamps[(CheckWindow(window) * Stride) + Lookback];

    /// <summary>All windows at once; fine for small series, see the class remarks for large ones.</summary>
    public WindowBatch All() => Range(0, Count);

    /// <summary>Windows first .. first + count - 1.</summary>
    public WindowBatch Range(int first, int count) => Batch([.. Enumerable.Range(first, count)]);

    public WindowBatch Batch(IReadOnlyList<int> windows)
    {
        var nIn = InputColumns.Count;
        var nOut = TargetColumns.Count;
        var x = new float[windows.Count * Lookback * nIn];
        var y = new float[windows.Count * Horizon * nOut];
        var picked = new int[windows.Count];
        for (var b = 0; b < windows.Count; b++)
        {
            var start = CheckWindow(windows[b]) * Stride;
            picked[b] = windows[b];
            inputs.AsSpan(start * nIn, Lookback * nIn).CopyTo(x.AsSpan(b * Lookback * nIn));
            targets.AsSpan((start + Lookback) * nOut, Horizon * nOut).CopyTo(y.AsSpan(b * Horizon * nOut));
        }
        return new WindowBatch(
            tensor(x, [windows.Count, Lookback, nIn]),
            tensor(y, [windows.Count, Horizon, nOut]),
            picked);
    }

    /// <summary>
    /// Consecutive batches in time order, or in a random order when <paramref name="shuffle"/> is given (seed it for
    /// reproducible runs). Built one at a time as enumerated; dispose each batch (or use a dispose scope).
    /// </summary>
    public IEnumerable<WindowBatch> Batches(int batchSize, Random? shuffle = null, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = Enumerable.Range(0, Count).ToArray();
        shuffle?.Shuffle(order);
        for (var first = 0; first < order.Length; first += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - first);
            if (size < batchSize && dropLast)
                yield break;
            yield return Batch(new ArraySegment<int>(order, first, size));
        }
    }

    private int CheckWindow(int window) =>
        window >= 0 && window < Count ? window : throw new ArgumentOutOfRangeException(nameof(window), window, $"there are {Count} windows.");

    private static float[] ToFloat(TimeSeriesFrame frame)
    {
        var source = frame.Values;
        var result = new float[source.Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = (float)source[i];
        return result;
    }
}
