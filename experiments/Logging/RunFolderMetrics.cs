namespace Research.Experiments.Logging;

/// <summary>The metrics files of one run folder: metrics.csv, metrics.jsonl and TensorBoard event files beside them.</summary>
public static class RunFolderMetrics
{
    public const string CsvFileName = "metrics.csv";
    public const string JsonlFileName = "metrics.jsonl";

    /// <summary>
    /// Every sink for runDir in one; the event files sit in runDir itself so `tensorboard --logdir` over many runs
    /// names each run by its folder. resumeFromStep is the checkpoint's step when a run resumes (see the sinks).
    /// </summary>
    public static CompositeMetricsSink Open(string runDir, long? resumeFromStep = null)
    {
        Directory.CreateDirectory(runDir);
        var opened = new List<IMetricsSink>();
        try
        {
            opened.Add(CsvMetricsSink.Open(Path.Combine(runDir, CsvFileName), resumeFromStep));
            opened.Add(JsonlMetricsSink.Open(Path.Combine(runDir, JsonlFileName), resumeFromStep));
            opened.Add(TensorBoardMetricsSink.Open(runDir, resumeFromStep));
            return new CompositeMetricsSink(opened);
        }
        catch
        {
            // Closes what did open, so a bad metrics.csv does not leave the other files locked.
            foreach (var sink in opened)
                sink.Dispose();
            throw;
        }
    }
}
