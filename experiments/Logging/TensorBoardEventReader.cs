namespace Research.Experiments.Logging;

/// <summary>Reads TensorBoard event files (ours or TensorFlow's/PyTorch's), verifying every record's CRCs.</summary>
public static class TensorBoardEventReader
{
    public static IReadOnlyList<TensorBoardEvent> ReadFile(string path) =>
        [.. TfRecordFile.ReadRecords(path).Select(data => TensorBoardEventCodec.Decode(data))];

    /// <summary>The event files of a log folder (not its subfolders) in TensorBoard's order: by file name.</summary>
    public static IReadOnlyList<string> EventFiles(string logDir) =>
        [.. Directory.EnumerateFiles(logDir, "*tfevents*").Order(StringComparer.Ordinal)];

    /// <summary>
    /// The scalars of a log folder as TensorBoard shows them: files in name order, and a SessionLog START at step s
    /// (written on resume) discards the points already read with step >= s, as TensorBoard's purge does.
    /// </summary>
    public static IReadOnlyList<(long Step, double WallTime, TensorBoardScalar Scalar)> ReadScalars(string logDir)
    {
        var points = new List<(long Step, double WallTime, TensorBoardScalar Scalar)>();
        foreach (var file in EventFiles(logDir))
        {
            foreach (var e in ReadFile(file))
            {
                if (e.SessionStatus == TensorBoardEventCodec.SessionLogStart)
                    points.RemoveAll(p => p.Step >= e.Step);
                points.AddRange(e.Scalars.Select(s => (e.Step, e.WallTime, s)));
            }
        }

        return points;
    }
}
