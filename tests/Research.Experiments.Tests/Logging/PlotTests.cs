using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

public sealed class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        // IHDR follows the signature: 4-byte length, "IHDR", then big-endian width and height.
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void LearningCurvesGetOnePngPerMetricFromMetricsCsv()
    {
        using var folder = new TemporaryFolder();
        var csv = folder.File("metrics.csv");
        using (var sink = CsvMetricsSink.Open(csv))
        {
            var step = 0L;
            for (var epoch = 1; epoch <= 8; epoch++)
            {
                for (var k = 0; k < 20; k++, step++)
                    sink.Write(new MetricRecord(step, step, epoch, "train", "loss", 5 * Math.Exp(-step / 60.0) + 1 + (0.1 * Math.Sin(step))));
                foreach (var (split, offset) in new[] { ("valid", 0.3), ("test", 0.35) })
                {
                    var loss = (5 * Math.Exp(-step / 60.0)) + 1 + offset;
                    sink.Write(new MetricRecord(step, step, epoch, split, "loss", loss));
                    sink.Write(new MetricRecord(step, step, epoch, split, "perplexity", Math.Exp(loss)));
                }

                sink.Write(new MetricRecord(step, step, epoch, "train", "tokens/s", 12_000 + (100 * epoch)));
            }
        }

        var paths = LearningCurvePlot.WriteFromCsv(csv, folder.File("plots"));
        Assert.Equal(["loss.png", "perplexity.png", "tokens_s.png"], paths.Select(Path.GetFileName));
        foreach (var path in paths)
            AssertPng(path, 800, 500);

        var byStep = LearningCurvePlot.Write(MetricsCsvReader.Read(csv), folder.File("by-step"), CurveAxis.Step, 640, 400);
        AssertPng(byStep[0], 640, 400);
        if (Environment.GetEnvironmentVariable("RESEARCH_KEEP_PLOTS") is { Length: > 0 } keep)
            File.Copy(paths[0], Path.Combine(keep, "loss.png"), overwrite: true);
    }

    [Fact]
    public void ADivergedRunStillPlotsItsFinitePoints()
    {
        using var folder = new TemporaryFolder();
        MetricRecord[] records =
        [
            new(0, 1, 1, "train", "loss", 3), new(0, 2, 2, "train", "loss", 2.5), new(0, 3, 3, "train", "loss", double.PositiveInfinity),
            new(0, 4, 4, "train", "loss", double.NaN), new(0, 1, 1, "valid", "loss", 3.2),
        ];
        AssertPng(Assert.Single(LearningCurvePlot.Write(records, folder.Path)), 800, 500);
    }

    [Fact]
    public void ForecastPlotWritesAPngWithTimestampsOrIndex()
    {
        using var folder = new TemporaryFolder();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var actual = Enumerable.Range(0, 96).Select(h => 10 + (3 * Math.Sin(h * Math.PI / 12))).ToArray();
        var predicted = actual[72..].Select((v, k) => v + (0.3 * Math.Cos(k))).ToArray();
        var timestamps = actual.Select((_, h) => start.AddHours(h)).ToArray();

        ForecastPlot.Write(folder.File("forecast.png"), actual, predicted, timestamps, title: "load, last 24 h forecast", valueLabel: "MW");
        ForecastPlot.Write(folder.File("forecast-index.png"), actual, actual, width: 600, height: 300);

        AssertPng(folder.File("forecast.png"), 1000, 450);
        AssertPng(folder.File("forecast-index.png"), 600, 300);
        Assert.Throws<ArgumentException>(() => ForecastPlot.Write(folder.File("bad.png"), predicted, actual));
        if (Environment.GetEnvironmentVariable("RESEARCH_KEEP_PLOTS") is { Length: > 0 } keep)
            File.Copy(folder.File("forecast.png"), Path.Combine(keep, "forecast.png"), overwrite: true);
    }
}
