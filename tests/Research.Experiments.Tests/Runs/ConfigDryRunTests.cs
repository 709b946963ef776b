namespace Research.Experiments.Tests.Runs;

/// <summary>Every config in configs/ parses and runs one training step, a validation and a test (pytorch/examples' dry run).</summary>
public sealed class ConfigDryRunTests : IDisposable
{
    private readonly string _runs = Directory.CreateTempSubdirectory("research-dry").FullName;

    public static TheoryData<string> Configs()
    {
        var configs = Path.Combine(TinyRuns.RepositoryRoot, "configs");
        return new TheoryData<string>(Directory.GetFiles(configs, "*.yaml").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void OneStepRuns(string config)
    {
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", _runs, "train.epochs=1", "train.max_steps=1", $"data.dir={TinyRuns.SharedData}");
        Assert.True(code == 0, $"{config}: {stderr}{stdout}");
        Assert.Contains("test (best checkpoint): loss", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_runs, recursive: true);
}
