using System.Text;
using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class TensorBoardMetricsSinkTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void ScalarsRoundTripThroughTheEventFileWithValidCrcs()
    {
        using var folder = new TemporaryFolder();
        string path;
        using (var sink = TensorBoardMetricsSink.Open(folder.Path))
        {
            path = sink.Path;
            sink.Write(new MetricRecord(1_795_000_000.25, 10, 0, "train", "loss", 4.5));
            sink.Write(new MetricRecord(1_795_000_001.5, 20, 0, "train", "loss", 4.25));
            sink.Write(new MetricRecord(1_795_000_002.75, 20, 0, "valid", "perplexity", 61.8));
            sink.Write(new MetricRecord(1_795_000_003, 3_000_000_000, 9, "train", "lr", 1e-4));
        }

        Assert.Matches(@"^events\.out\.tfevents\.\d{10}\.", Path.GetFileName(path));
        var events = TensorBoardEventReader.ReadFile(path);
        Assert.Equal(TensorBoardMetricsSink.FileVersion, events[0].FileVersion);
        Assert.Empty(TensorBoardEventReader.Scalars(events[0]));
        var scalars = events.Skip(1).Select(e => (e.WallTime, e.Step, TensorBoardEventReader.Scalars(e).Single().Tag, TensorBoardEventReader.Scalars(e).Single().SimpleValue)).ToArray();
        Assert.Equal(
        [
            (1_795_000_000.25, 10L, "train/loss", 4.5f),
            (1_795_000_001.5, 20L, "train/loss", 4.25f),
            (1_795_000_002.75, 20L, "valid/perplexity", 61.8f),
            (1_795_000_003.0, 3_000_000_000L, "train/lr", 1e-4f),
        ], scalars);
    }

    [Fact]
    public void RecordsReachTheFileOnlyAtFlush()
    {
        using var folder = new TemporaryFolder();
        using var sink = TensorBoardMetricsSink.Open(folder.Path);
        sink.Write(new MetricRecord(1, 1, 0, "train", "loss", 1));
        Assert.Single(TensorBoardEventReader.ReadFile(sink.Path));
        sink.Flush();
        Assert.Equal(2, TensorBoardEventReader.ReadFile(sink.Path).Count);
    }

    [Fact]
    public void ResumeWritesASessionStartThatPurgesTheLostSteps()
    {
        using var folder = new TemporaryFolder();
        // The resumed file is named by a later second, as it would be in life; TensorBoard reads files in name order.
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000));
        using (var crashed = TensorBoardMetricsSink.Open(folder.Path, clock: clock))
        {
            for (var step = 1; step <= 6; step++)
                crashed.Write(new MetricRecord(step, step, 0, "train", "loss", step));
        }

        clock.Advance(TimeSpan.FromMinutes(3));
        using (var resumed = TensorBoardMetricsSink.Open(folder.Path, resumeFromStep: 4, clock: clock))
        {
            var start = TensorBoardEventReader.ReadFile(resumed.Path)[1];
            Assert.Equal((5L, Tensorboard.SessionLog.Types.SessionStatus.Start), (start.Step, start.SessionLog.Status));
            for (var step = 5; step <= 7; step++)
                resumed.Write(new MetricRecord(step, step, 0, "train", "loss", step * 10));
        }

        Assert.Equal(2, TensorBoardEventReader.EventFiles(folder.Path).Count);
        var points = TensorBoardEventReader.ReadScalars(folder.Path).Select(p => (p.Step, p.Scalar.SimpleValue));
        Assert.Equal([(1L, 1f), (2L, 2f), (3L, 3f), (4L, 4f), (5L, 50f), (6L, 60f), (7L, 70f)], points);
    }

    [Fact]
    public void ACorruptedByteGivesAClearError()
    {
        using var folder = new TemporaryFolder();
        string path;
        using (var sink = TensorBoardMetricsSink.Open(folder.Path))
        {
            path = sink.Path;
            sink.Write(new MetricRecord(1, 1, 0, "train", "loss", 0.5));
        }

        var bytes = File.ReadAllBytes(path);
        var firstRecordLength = 16 + (int)BitConverter.ToUInt64(bytes);
        bytes[firstRecordLength + 12 + 3] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadFile(path));
        Assert.Contains($"record 1 at byte {firstRecordLength}: data CRC mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedFileGivesAClearError()
    {
        using var folder = new TemporaryFolder();
        string path;
        using (var sink = TensorBoardMetricsSink.Open(folder.Path))
        {
            path = sink.Path;
            sink.Write(new MetricRecord(1, 1, 0, "train", "loss", 0.5));
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadFile(path));
        Assert.Contains("truncated record", error.Message, StringComparison.Ordinal);
    }
}
