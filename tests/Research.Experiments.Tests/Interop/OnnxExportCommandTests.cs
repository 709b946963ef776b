using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Tests.Runs;
using Research.Experiments.Tests.Sources;
using Research.Models.Language;
using Research.Models.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>
/// `research export RUN --format onnx` on trained runs: the file beside model.json gives the run's best checkpoint's
/// outputs in ONNX Runtime to 1e-5, samples/OnnxInference samples text and forecasts from it without TorchSharp (bad
/// input: one line, exit 2), and a variant ONNX cannot express is one line and exit 2.
/// </summary>
public sealed class OnnxExportCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-onnx-export").FullName;

    [Fact]
    public void AnExportedLanguageModelMatchesItsCheckpointAndTheSampleWritesText()
    {
        var run = Train(TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel), Path.Combine(_dir, "runs"), "tiny");
        var (code, stdout, stderr) = TinyRuns.InProcess("export", run, "--format", "onnx");
        Assert.True(code == 0, stderr + stdout);
        var onnx = Path.Combine(run, "export", "model.onnx");
        Assert.True(File.Exists(Path.Combine(run, "export", "model.json")));

        var model = (LanguageModel)Best(run).Task.Model;
        using var tokens = InteropModels.Tokens(vocabulary: model.Options.VocabularySize, steps: 9, batch: 2);
        var (h0, c0) = model.InitialState(2);
        using var expected = InteropModels.Logits(model, tokens);
        var outputs = OnnxRuntimeRun.Run(onnx, new Dictionary<string, Tensor> { ["tokens"] = tokens, ["h0"] = h0, ["c0"] = c0 });
        OnnxRuntimeRun.AssertClose(log, "logits", expected, outputs["logits"]);

        var (sampleCode, text, errors) = Sample(onnx, "--prompt", "s1 s2", "--length", "6", "--seed", "3");
        Assert.True(sampleCode == 0, errors);
        var words = text.Trim().Split(' ');
        Assert.Equal(8, words.Length);
        Assert.Equal(["s1", "s2"], words[..2]);

        foreach (var (args, message) in new (string[], string)[]
        {
            ([onnx, "--prompt", "zz"], "the prompt's token 'zz' is not in the vocabulary"),
            ([Path.Combine(_dir, "gone.onnx")], "gone.onnx: no such file"),
            ([onnx, "--top-k", "3"], "unknown option --top-k"),
        })
        {
            (sampleCode, text, errors) = Sample(args);
            Assert.Equal(2, sampleCode);
            Assert.Contains(message, errors, StringComparison.Ordinal);
            Assert.Single(errors.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public void AnExportedForecasterMatchesItsCheckpointInOriginalUnitsAndTheSampleForecasts()
    {
        using var files = new OwnDataFiles();
        var run = Train(files.Path("daily.yaml"), files.Runs, "daily", "data.fill_missing=linear");
        var (code, stdout, stderr) = TinyRuns.InProcess("export", run, "--format", "onnx");
        Assert.True(code == 0, stderr + stdout);
        var onnx = Path.Combine(run, "export", "model.onnx");

        var task = (ForecastTask)Best(run).Task;
        var scaler = task.Dataset.Scaler!;
        using var generator = new Generator(5);
        using var window = randn([3, 14, 2], generator: generator).mul(tensor(5.0f)).Plus(tensor(12.0f));
        using (no_grad())
        {
            using var scaled = scaler.Transform(window, task.Dataset.InputColumns);
            using var forecast = task.Model.call(scaled);
            using var expected = scaler.InverseTransform(forecast, task.Dataset.TargetColumns);
            var outputs = OnnxRuntimeRun.Run(onnx, new Dictionary<string, Tensor> { ["window"] = window });
            OnnxRuntimeRun.AssertClose(log, "forecast", expected, outputs["forecast"]);
        }

        var (sampleCode, text, errors) = Sample(onnx, "--csv", files.Path("daily.csv"));
        Assert.True(sampleCode == 0, errors);
        var lines = text.Trim().Split('\n');
        Assert.Equal("step,load", lines[0]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void AVariantOnnxCannotExpressIsOneLineExit2AndNoFile()
    {
        var run = Train(TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel), Path.Combine(_dir, "ln-runs"), "tiny", "model.variant.layer_norm=true", "train.max_steps=2");
        var (code, _, stderr) = TinyRuns.InProcess("export", run, "--format", "onnx");
        Assert.Equal(2, code);
        Assert.Contains("cannot express the LSTM variant layer norm (variant.layer_norm)", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(run, "export")));
    }

    private static string Train(string config, string runs, string experiment, params string[] overrides)
    {
        var (code, stdout, stderr) = TinyRuns.InProcess(["train", config, "--runs-dir", runs, "train.epochs=1", .. overrides]);
        Assert.True(code == 0, stderr + stdout);
        return TinyRuns.OnlyRun(runs, experiment);
    }

    /// <summary>The run's model at its best checkpoint, in eval mode.</summary>
    private static BuiltExperiment Best(string run)
    {
        var settings = ConfigLoader.Load<ExperimentSettings>(Path.Combine(run, "config.yaml")).Value;
        var built = ExperimentBuilder.Build(settings);
        Checkpoint.Load(Path.Combine(run, "checkpoints", "best.ckpt"), built.Task.Model, optimizer: null);
        built.Task.Model.eval();
        return built;
    }

    private static (int Code, string Stdout, string Stderr) Sample(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OnnxInference.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
