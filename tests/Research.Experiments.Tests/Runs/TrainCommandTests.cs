using System.Text.Json;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Settings;

namespace Research.Experiments.Tests.Runs;

/// <summary>`research train`: config errors, the run folder's contents, generation from a run.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-train").FullName;

    private string Runs => Path.Combine(_dir, "runs");

    [Theory]
    [InlineData("model:\n  hiden: 4\n", new string[0], "tiny.yaml:3: model.hiden: unknown key (did you mean model.hidden_size?)")]
    [InlineData("train:\n  lr: fast\n", new string[0], "tiny.yaml:3: train.lr: expected a number, got 'fast'")]
    [InlineData("", new[] { "train.epochs=many" }, "override train.epochs=many: expected an integer, got 'many'")]
    [InlineData("", new[] { "model.layer=3" }, "override model.layer=3: unknown key (did you mean model.layers?)")]
    [InlineData("model:\n  tied: true\n  embedding_size: 8\n  hidden_size: 12\n", new string[0], "model.tied: tied weights need embedding_size = hidden_size, got 8 and 12")]
    [InlineData("train:\n  lr: 0\n", new string[0], "train.lr")]
    [InlineData("", new[] { "train.epochs" }, "'train.epochs' is not an override: write key.sub=value")]
    public void ConfigErrorsAreOneLineExit2AndCreateNoRunFolder(string extra, string[] overrides, string expected)
    {
        TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel, "tiny-base.yaml");
        var config = TinyRuns.WriteConfig(_dir, $"defaults: [tiny-base.yaml]\n{extra}");
        var (code, _, stderr) = TinyRuns.InProcess(["train", config, "--runs-dir", Runs, .. overrides]);
        Assert.Equal(2, code);
        Assert.StartsWith("research train: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void AMissingRequiredKeyIsNamed()
    {
        var config = TinyRuns.WriteConfig(_dir, "experiment: tiny\ndata:\n  name: markov\n");
        var (code, _, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", Runs);
        Assert.Equal(2, code);
        Assert.Contains("missing required key task", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunFolderHoldsEverythingAndGeneratesText()
    {
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", Runs, "train.epochs=2", "model.backend=torch");
        Assert.True(code == 0, stderr + stdout);
        var run = TinyRuns.OnlyRun(Runs);
        foreach (var file in new[] { "config.yaml", "overrides.yaml", "metrics.csv", "metrics.jsonl", "summary.json", "vocabulary.json",
            "checkpoints/last.ckpt", "checkpoints/best.ckpt", "plots/loss.png", "plots/perplexity.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        Assert.Contains("the source's true entropy rate is", stdout, StringComparison.Ordinal);
        Assert.Contains($"run folder:  {run}", stdout, StringComparison.Ordinal);

        // The resolved config loads back to the same text; the overrides are kept as typed.
        var resolved = ConfigLoader.Load<ExperimentSettings>(Path.Combine(run, "config.yaml"));
        Assert.Equal(File.ReadAllText(Path.Combine(run, "config.yaml")), resolved.ResolvedYaml);
        Assert.Equal("torch", resolved.Value.Model.Backend.ToString().ToLowerInvariant());
        Assert.Contains("model.backend=torch", File.ReadAllText(Path.Combine(run, "overrides.yaml")), StringComparison.Ordinal);

        // metrics.csv is long format; TensorBoard's event files parse with valid CRCs and hold the same scalars.
        var records = MetricsCsvReader.Read(Path.Combine(run, "metrics.csv"));
        Assert.Contains(records, r => r is { Split: "valid", Name: "perplexity", Epoch: 2 });
        Assert.Contains(records, r => r is { Split: "test", Name: "loss" });
        var scalars = TensorBoardEventReader.ReadScalars(run);
        Assert.Contains(scalars, s => s.Scalar.Tag == "valid/loss");
        Assert.Equal(records.Count(r => r.Tag == "valid/loss"), scalars.Count(s => s.Scalar.Tag == "valid/loss"));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("finished", summary.RootElement.GetProperty("status").GetString());
        Assert.True(summary.RootElement.GetProperty("test").GetProperty("perplexity").GetDouble() > 1);
        // Which recurrent computation ran is said at start and recorded (model.backend=torch here).
        Assert.Equal("torch (TorchSharp's nn.LSTM)", summary.RootElement.GetProperty("recurrent_backend").GetString());
        Assert.Contains("recurrent backend: torch (TorchSharp's nn.LSTM)", stdout, StringComparison.Ordinal);
        Assert.Equal("cpu", summary.RootElement.GetProperty("machine").GetProperty("device").GetString());

        var (generated, text, error) = TinyRuns.InProcess("generate", run, "--prompt", "s1 s2", "--length", "12", "--top-k", "3");
        Assert.True(generated == 0, error);
        Assert.Equal(12, text.Trim().Split(' ', '\n').Length);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
