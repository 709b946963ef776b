using Tensorboard;

namespace Research.Experiments.Logging;

/// <summary>Reads TensorBoard event files (ours or TensorFlow's/PyTorch's), verifying every record's CRCs.</summary>
public static class TensorBoardEventReader
{
    /// <summary>Every event of a file, decoded by the protobuf classes TorchSharp ships (tensorflow's event.proto).</summary>
    public static IReadOnlyList<Event> ReadFile(string path) =>
        [.. TfRecordFile.ReadRecords(path).Select(data => Event.Parser.ParseFrom(data))];

    /// <summary>The event files of a log folder (not its subfolders) in TensorBoard's order: by file name.</summary>
    public static IReadOnlyList<string> EventFiles(string logDir) =>
        [.. Directory.EnumerateFiles(logDir, "*tfevents*").Order(StringComparer.Ordinal)];

    /// <summary>An event's scalar values (simple_value); images, histograms and text are not scalars and are left out.</summary>
    public static IEnumerable<Summary.Types.Value> Scalars(Event e) =>
        e.Summary?.Value.Where(v => v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue) ?? [];

    /// <summary>
    /// The scalars of a log folder as TensorBoard shows them: files in name order, and a SessionLog START at step s
    /// (written on resume) discards the points already read with step >= s, as TensorBoard's purge does.
    /// </summary>
    public static IReadOnlyList<(long Step, double WallTime, Summary.Types.Value Scalar)> ReadScalars(string logDir)
    {
        var points = new List<(long Step, double WallTime, Summary.Types.Value Scalar)>();
        foreach (var file in EventFiles(logDir))
        {
            foreach (var e in ReadFile(file))
            {
                if (e.SessionLog?.Status == SessionLog.Types.SessionStatus.Start)
                    points.RemoveAll(p => p.Step >= e.Step);
                points.AddRange(Scalars(e).Select(s => (e.Step, e.WallTime, s)));
            }
        }

        return points;
    }
}
