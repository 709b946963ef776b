using System.Text.Json;
using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class JsonlMetricsSinkTests
{
    [Fact]
    public void WritesOneFlatObjectPerLineOnFlush()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.jsonl");
        using var sink = JsonlMetricsSink.Open(path);
        sink.Write(new MetricRecord(1_795_000_000.25, 7, 2, "valid", "perplexity", 61.75));
        Assert.Equal(0, new FileInfo(path).Length);
        sink.Flush();
        var line = Assert.Single(File.ReadAllLines(path));
        Assert.Equal("""{"wall_time":1795000000.25,"step":7,"epoch":2,"split":"valid","name":"perplexity","value":61.75}""", line);
        using var parsed = JsonDocument.Parse(line);
        Assert.Equal(61.75, parsed.RootElement.GetProperty("value").GetDouble());
    }

    [Fact]
    public void ResumedRunAppendsAndResumeFromStepDropsLaterLines()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.jsonl");
        using (var crashed = JsonlMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Steps(1, 6, 0))
                crashed.Write(record);
        }

        using (var resumed = JsonlMetricsSink.Open(path, resumeFromStep: 3))
        {
            Assert.Equal(SampleRecords.Steps(1, 3, 0), MetricsJsonlReader.Read(path));
            foreach (var record in SampleRecords.Steps(4, 5, 1))
                resumed.Write(record);
        }

        using (var appended = JsonlMetricsSink.Open(path))
            appended.Write(SampleRecords.Steps(6, 6, 1)[0]);

        Assert.Equal([.. SampleRecords.Steps(1, 3, 0), .. SampleRecords.Steps(4, 5, 1), SampleRecords.Steps(6, 6, 1)[0]], MetricsJsonlReader.Read(path));
    }

    [Fact]
    public void ValuesRoundTripExactly()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.jsonl");
        using (var sink = JsonlMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Awkward)
                sink.Write(record);
        }

        Assert.Equal(SampleRecords.Awkward, MetricsJsonlReader.Read(path));
        var text = File.ReadAllText(path);
        Assert.Contains("\"value\":NaN}", text, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"tokens/s, \\\"smoothed\\\"\"", text, StringComparison.Ordinal);
    }
}
