namespace Research.Experiments.Tests.Runs;

/// <summary>`research inspect`: the plots and tables it writes for a tiny trained run, and its one-line errors.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-inspect").FullName;

    private string Runs => Path.Combine(_dir, "runs");

    [Theory]
    [InlineData("auto")]
    [InlineData("torch")]
    public void WritesSaturationPlotTableAndCellHeatmap(string backend)
    {
        var run = TrainTinyRun(backend);
        var (code, stdout, stderr) = TinyRuns.InProcess("inspect", run, "--text", "s1 s2 s3 s1 s4 s5 s2", "--units", "5");
        Assert.True(code == 0, stderr + stdout);
        foreach (var file in new[] { "saturation.png", "cell-heatmap.png", "saturation.md", "saturation.csv" })
            Assert.True(new FileInfo(Path.Combine(run, "inspect", file)).Length > 0, file);

        // Two layers × three gates in the table; twelve units per gate in the CSV.
        Assert.Contains("Gate saturation over 7 tokens", stdout, StringComparison.Ordinal);
        Assert.Contains("| layer 1 | forget |", stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "inspect", "saturation.md")), stdout[..stdout.IndexOf("wrote ", StringComparison.Ordinal)]);
        var csv = File.ReadAllLines(Path.Combine(run, "inspect", "saturation.csv"));
        Assert.Equal("layer,gate,unit,left,right", csv[0]);
        Assert.Equal(1 + (2 * 3 * 12), csv.Length);
    }

    [Fact]
    public void BadRunFolderOrEmptyTextIsOneLineExit2()
    {
        var (code, _, stderr) = TinyRuns.InProcess("inspect", Path.Combine(_dir, "nowhere"), "--text", "s1");
        Assert.Equal(2, code);
        Assert.Contains("is not a run folder", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        var run = TrainTinyRun("auto");
        foreach (var text in new[] { "", "   " })
        {
            (code, _, stderr) = TinyRuns.InProcess("inspect", run, "--text", text);
            Assert.Equal(2, code);
            Assert.Contains("--text is empty", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
        (code, _, stderr) = TinyRuns.InProcess("inspect", run, "--text", "s1 zebra");
        Assert.Equal(2, code);
        Assert.Contains("'zebra' is not in the model's vocabulary", stderr, StringComparison.Ordinal);
    }

    private string TrainTinyRun(string backend)
    {
        var runs = Path.Combine(Runs, backend);
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "train.epochs=1", $"model.backend={backend}");
        Assert.True(code == 0, stderr + stdout);
        return TinyRuns.OnlyRun(runs);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
