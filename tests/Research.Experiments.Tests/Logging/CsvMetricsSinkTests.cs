using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class CsvMetricsSinkTests
{
    [Fact]
    public void WritesHeaderOnceAndRowsOnFlush()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        using (var sink = CsvMetricsSink.Open(path))
        {
            Assert.Equal([CsvMetricsSink.Header], File.ReadAllLines(path));
            foreach (var record in SampleRecords.Steps(1, 3, 0))
                sink.Write(record);
            Assert.Single(File.ReadAllLines(path));
            sink.Flush();
            Assert.Equal(7, File.ReadAllLines(path).Length);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("wall_time,step,epoch,split,name,value", lines[0]);
        Assert.Equal("1795000001.1234567,1,0,train,loss,1.3333333333333333", lines[1]);
    }

    [Fact]
    public void ResumedRunAppendsWithoutASecondHeader()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        using (var first = CsvMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Steps(1, 3, 0))
                first.Write(record);
        }

        using (var second = CsvMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Steps(4, 5, 1))
                second.Write(record);
        }

        Assert.Single(File.ReadAllLines(path), CsvMetricsSink.Header);
        Assert.Equal(SampleRecords.Steps(1, 3, 0).Concat(SampleRecords.Steps(4, 5, 1)), MetricsCsvReader.Read(path));
    }

    [Fact]
    public void ResumeFromStepCutsTheRowsOfTheLostRunInPlace()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        using (var crashed = CsvMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Steps(1, 6, 0))
                crashed.Write(record);
        }

        var before = File.ReadAllBytes(path);
        using var earlierReader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using (var resumed = CsvMetricsSink.Open(path, resumeFromStep: 4))
        {
            Assert.Equal(SampleRecords.Steps(1, 4, 0), MetricsCsvReader.Read(path));
            // The kept rows are the old bytes, untouched, and a handle opened before the resume sees the shorter
            // file: the same file was cut, not replaced by a rewritten copy.
            var after = File.ReadAllBytes(path);
            Assert.Equal(before[..after.Length], after);
            Assert.Equal(after.Length, earlierReader.Length);
            foreach (var record in SampleRecords.Steps(5, 7, 0))
                resumed.Write(record);
        }

        Assert.Equal(SampleRecords.Steps(1, 7, 0), MetricsCsvReader.Read(path));
    }

    [Fact]
    public void ValuesRoundTripExactly()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        using (var sink = CsvMetricsSink.Open(path))
        {
            foreach (var record in SampleRecords.Awkward)
                sink.Write(record);
        }

        var read = MetricsCsvReader.Read(path);
        Assert.Equal(SampleRecords.Awkward, read);
        Assert.True(double.IsNegative(read[5].Value));
        Assert.Contains(",test,loss,nan", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void TornLastRowFromACrashIsCutBeforeAppending()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, CsvMetricsSink.Header + "\n1.5,1,0,train,loss,2.5\n1.6,2,0,tra");
        using (var sink = CsvMetricsSink.Open(path))
            sink.Write(new MetricRecord(1.7, 2, 0, "train", "loss", 2.25));
        Assert.Equal([new MetricRecord(1.5, 1, 0, "train", "loss", 2.5), new MetricRecord(1.7, 2, 0, "train", "loss", 2.25)], MetricsCsvReader.Read(path));
    }

    [Fact]
    public void ReaderSkipsARowStillBeingWritten()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, CsvMetricsSink.Header + "\n1.5,1,0,train,loss,2.5\n1.6,2,0,tra");
        Assert.Equal([new MetricRecord(1.5, 1, 0, "train", "loss", 2.5)], MetricsCsvReader.Read(path));
    }

    [Fact]
    public void RefusesToAppendToAFileWithAnotherHeader()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("metrics.csv");
        File.WriteAllText(path, "epoch,loss\n1,2.0\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(path));
        Assert.Contains("refusing to append", error.Message, StringComparison.Ordinal);
    }
}
