namespace Research.Experiments.Tests.Runs;

/// <summary>
/// Every config in configs/, configs/repro/, configs/repro/char/, configs/repro/music/ and configs/repro/variants/ parses and runs one training step, a validation and a test (or, trained whole, reports its training loss)
/// (pytorch/examples' dry run). configs/base/ holds fragments that are only read as defaults.
/// </summary>
public sealed class ConfigDryRunTests : IDisposable
{
    private readonly string _runs = Directory.CreateTempSubdirectory("research-dry").FullName;

    public static TheoryData<string> Configs()
    {
        var configs = Path.Combine(TinyRuns.RepositoryRoot, "configs");
        // The small reproductions too (JSB, airline); the long ones are checked by parsing (ReproductionCatalogTests).
        var runnable = Directory.GetFiles(configs, "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(configs, "repro"), "*.yaml"))
            .Concat(Directory.GetFiles(Path.Combine(configs, "repro", "char"), "*.yaml"))
            .Concat(Directory.GetFiles(Path.Combine(configs, "repro", "music"), "*.yaml"))
            .Concat(Directory.GetFiles(Path.Combine(configs, "repro", "variants"), "*.yaml"));
        return new TheoryData<string>(runnable.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void OneStepRuns(string config)
    {
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", _runs, "train.epochs=1", "train.max_steps=1", $"data.dir={TinyRuns.SharedData}");
        Assert.True(code == 0, $"{config}: {stderr}{stdout}");
        // A corpus trained whole (Keras's example, train_fraction 1.0) has no split to test: its training loss is the result.
        Assert.Matches("test \\(best checkpoint\\): loss|no held-out split: last epoch's training loss", stdout);
    }

    [Theory]
    [InlineData("gru", "false", "0.0")]
    [InlineData("rnn_tanh", "true", "0.2")]
    [InlineData("rnn_relu", "false", "0.2")]
    public void LanguageModelRunsWithEveryCellAndRegulariser(string cell, string locked, string weightDrop)
    {
        var config = TinyRuns.WriteConfig(_runs, TinyRuns.LanguageModel);
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", _runs, "train.epochs=1", "train.max_steps=2",
            $"model.cell={cell}", $"model.locked_dropout={locked}", $"model.weight_drop={weightDrop}", "model.embedding_dropout=0.1");
        Assert.True(code == 0, $"{cell}: {stderr}{stdout}");
        Assert.Contains("test (best checkpoint): loss", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "lstm", "(auto: ")]
    [InlineData("readable", "lstm", "readable (LstmCell under autograd)")]
    [InlineData("fast", "lstm", "fast (hand-derived BPTT, step loops in libtorch ops)")]
    [InlineData("torch", "lstm", "torch (TorchSharp's nn.LSTM)")]
    [InlineData("auto", "gru", "readable (auto: GruCell under autograd)")]
    [InlineData("torch", "rnn_relu", "torch (TorchSharp's nn.RNN)")]
    public void SummaryJsonNamesTheBackendThatRan(string backend, string cell, string expected)
    {
        var config = TinyRuns.WriteConfig(_runs, TinyRuns.LanguageModel);
        var runs = Path.Combine(_runs, $"{backend}-{cell}");
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "train.epochs=1", "train.max_steps=1",
            $"model.backend={backend}", $"model.cell={cell}");
        Assert.True(code == 0, $"{backend}/{cell}: {stderr}{stdout}");
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyRuns.OnlyRun(runs), "summary.json")));
        var recorded = summary.RootElement.GetProperty("recurrent_backend").GetString()!;
        Assert.Contains(expected, recorded, StringComparison.Ordinal);
        Assert.Contains($"recurrent backend: {recorded}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExplicitBackendTheCellCannotRunIsOneLineExit2BeforeAnyRunFolder()
    {
        var config = TinyRuns.WriteConfig(_runs, TinyRuns.LanguageModel);
        var runs = Path.Combine(_runs, "refused");
        var (code, _, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "model.cell=gru", "model.backend=kernel");
        Assert.Equal(2, code);
        Assert.Equal("research train: error: override model.backend=kernel: kernel is an LSTM backend; the Gru cell runs readable or torch (model.backend kernel, model.cell gru)", stderr.TrimEnd('\n'));
        Assert.False(Directory.Exists(runs) && Directory.EnumerateFileSystemEntries(runs).Any());
    }

    public void Dispose() => Directory.Delete(_runs, recursive: true);
}
