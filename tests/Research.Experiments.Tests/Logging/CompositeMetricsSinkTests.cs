using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class CompositeMetricsSinkTests
{
    [Fact]
    public void EveryRecordReachesEveryFormatOfTheRunFolder()
    {
        using var folder = new TemporaryFolder();
        using (var sink = RunFolderMetrics.Open(folder.Path))
        {
            foreach (var record in SampleRecords.Steps(1, 3, 0))
                sink.Write(record);
            sink.Flush();
            Assert.Equal(SampleRecords.Steps(1, 3, 0), MetricsCsvReader.Read(folder.File(RunFolderMetrics.CsvFileName)));
        }

        Assert.Equal(SampleRecords.Steps(1, 3, 0), MetricsJsonlReader.Read(folder.File(RunFolderMetrics.JsonlFileName)));
        var points = TensorBoardEventReader.ReadScalars(folder.Path);
        Assert.Equal(SampleRecords.Steps(1, 3, 0).Select(r => (r.Step, r.Tag, (float)r.Value)), points.Select(p => (p.Step, p.Scalar.Tag, p.Scalar.SimpleValue)));
    }

    [Fact]
    public void ABadFileClosesTheSinksAlreadyOpened()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File(RunFolderMetrics.JsonlFileName), "not json\n");
        var error = Assert.Throws<InvalidDataException>(() => RunFolderMetrics.Open(folder.Path, resumeFromStep: 3));
        Assert.Contains("metrics.jsonl:1: cannot read the step of 'not json' to resume from it", error.Message, StringComparison.Ordinal);
        Assert.Equal("not json\n", File.ReadAllText(folder.File(RunFolderMetrics.JsonlFileName)));
        File.Delete(folder.File(RunFolderMetrics.CsvFileName));
        Assert.Empty(TensorBoardEventReader.EventFiles(folder.Path));
    }
}
