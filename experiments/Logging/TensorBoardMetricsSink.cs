using System.Globalization;
using Google.Protobuf;
using Tensorboard;

namespace Research.Experiments.Logging;

/// <summary>
/// Writes scalars to a TensorBoard event file (tag "split/name"): TorchSharp's protobuf classes encode each event, our
/// own TFRecord framing writes it, since TorchSharp's SummaryWriter reopens the file per scalar, rounds wall_time to
/// whole seconds and has no resume purge.
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
        sink.Append(new Event { WallTime = now, FileVersion = FileVersion });
        if (resumeFromStep is { } last)
            sink.Append(new Event { WallTime = now, Step = last + 1, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });
        sink.Flush();
        return sink;
    }

    public void Write(MetricRecord record) => Append(new Event
    {
        WallTime = record.WallTime,
        Step = record.Step,
        Summary = new Summary { Value = { new Summary.Types.Value { Tag = record.Tag, SimpleValue = (float)record.Value } } },
    });

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

    private void Append(Event e)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TfRecordFile.WriteRecord(_pending, e.ToByteArray());
        // Bounds memory between epoch ends; records are whole, so TensorBoard never sees a torn one for long.
        if (_pending.Length >= 1 << 20)
            Flush();
    }
}
