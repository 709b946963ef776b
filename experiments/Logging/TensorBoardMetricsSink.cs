using System.Globalization;

namespace Research.Experiments.Logging;

/// <summary>
/// Writes scalars to a TensorBoard event file (tag "split/name"). Our own writer rather than TorchSharp's
/// SummaryWriter: that one reopens the file per scalar, rounds wall_time to whole seconds and has no resume purge.
/// </summary>
public sealed class TensorBoardMetricsSink : IMetricsSink
{
    public const string FileVersion = "brain.Event:2";

    private static int s_uid;

    private readonly FileStream _stream;
    private readonly MemoryStream _pending = new();
    private bool _disposed;

    private TensorBoardMetricsSink(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The event file this sink writes (a new one per open, as every TensorBoard writer does).</summary>
    public string Path { get; }

    /// <summary>
    /// Starts a new event file in logDir. With resumeFromStep, it first records a SessionLog START at
    /// resumeFromStep + 1, which makes TensorBoard discard the points of the lost run past the checkpoint.
    /// </summary>
    public static TensorBoardMetricsSink Open(string logDir, long? resumeFromStep = null, TimeProvider? clock = null)
    {
        Directory.CreateDirectory(logDir);
        var now = MetricRecord.Now(clock);
        // TensorFlow's name: seconds, host, pid, counter; TensorBoard reads a folder's files in name order.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{(long)now:D10}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref s_uid)}");
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(logDir, name));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        var sink = new TensorBoardMetricsSink(path, stream);
        sink.Append(new TensorBoardEvent(now, 0, FileVersion, null, []));
        if (resumeFromStep is { } last)
            sink.Append(new TensorBoardEvent(now, last + 1, null, TensorBoardEventCodec.SessionLogStart, []));
        sink.Flush();
        return sink;
    }

    public void Write(MetricRecord record) =>
        Append(new TensorBoardEvent(record.WallTime, record.Step, null, null, [new TensorBoardScalar(record.Tag, (float)record.Value)]));

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending.Length == 0)
            return;
        _pending.Position = 0;
        _pending.CopyTo(_stream);
        _pending.SetLength(0);
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Flush();
        _disposed = true;
        _stream.Dispose();
    }

    private void Append(TensorBoardEvent e)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TfRecordFile.WriteRecord(_pending, TensorBoardEventCodec.Encode(e));
        // Bounds memory between epoch ends; records are whole, so TensorBoard never sees a torn one for long.
        if (_pending.Length >= 1 << 20)
            Flush();
    }
}
