using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class CompositeMetricsSinkTests
{
    [Fact]
    public void EveryRecordReachesEveryFormat()
    {
        using var folder = new TemporaryFolder();
        string eventFile;
        using (var sink = new CompositeMetricsSink(
            CsvMetricsSink.Open(folder.File("metrics.csv")),
            JsonlMetricsSink.Open(folder.File("metrics.jsonl")),
            TensorBoardMetricsSink.Open(folder.File("tensorboard"))))
        {
            eventFile = ((TensorBoardMetricsSink)sink.Sinks[2]).Path;
            foreach (var record in SampleRecords.Steps(1, 3, 0))
                sink.Write(record);
        }

        Assert.Equal(SampleRecords.Steps(1, 3, 0), MetricsCsvReader.Read(folder.File("metrics.csv")));
        Assert.Equal(SampleRecords.Steps(1, 3, 0), MetricsJsonlReader.Read(folder.File("metrics.jsonl")));
        Assert.Equal(7, TensorBoardEventReader.ReadFile(eventFile).Count);
    }
}
