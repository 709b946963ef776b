using System.Text.Json;
using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Interop;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Runs;
using Research.Models.Forecasting;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>
/// Weights out and in (issue 23): ours → .pt → ours and ours → safetensors → ours give exactly the same weights and
/// outputs; `research export` writes the files and model.json; model.init_from builds the configured model from them;
/// every bad file is one line, exit 2, and no run folder.
/// </summary>
public sealed class WeightFileRoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-interop").FullName;

    [Theory]
    [InlineData(WeightFormat.Pt)]
    [InlineData(WeightFormat.Safetensors)]
    public void OursToFileToOursIsExact(WeightFormat format)
    {
        var source = InteropModels.Word();
        var target = InteropModels.Word();
        var path = Path.Combine(_dir, "model" + StateDictFile.Extension(format));
        StateDictFile.Write(path, source, format);
        WeightImport.Apply(target, path);

        var theirs = target.state_dict();
        foreach (var (name, ours) in source.state_dict())
            Assert.True(InteropModels.Same(ours, theirs[name]), $"{name} differs after {format}");
        using var tokens = InteropModels.Tokens();
        using var expected = InteropModels.Logits(source, tokens);
        using var actual = InteropModels.Logits(target, tokens);
        Assert.True(InteropModels.Same(expected, actual), $"logits differ after {format}");
    }

    [Theory]
    [InlineData(WeightFormat.Pt)]
    [InlineData(WeightFormat.Safetensors)]
    public void AForecasterWithRevInRoundTripsExactly(WeightFormat format)
    {
        Forecaster Build() => new(new ForecasterOptions(InputFeatures: 3, TargetFeatures: 2, Horizon: 4, HiddenSize: 10, Layers: 2)
        {
            WindowNormalization = WindowNormalization.RevIn,
        });
        var source = Build();
        var target = Build();
        using (no_grad())
        {
            // RevIN's affine map starts at the identity in both: make it differ, so the file must carry it.
            foreach (var (_, parameter) in source.named_parameters())
                parameter.uniform_(-0.5, 0.5);
        }
        var path = Path.Combine(_dir, "forecaster" + StateDictFile.Extension(format));
        StateDictFile.Write(path, source, format);
        WeightImport.Apply(target, path);

        var theirs = target.state_dict();
        Assert.Contains(theirs.Keys, k => k.StartsWith("scaler.", StringComparison.Ordinal));
        foreach (var (name, ours) in source.state_dict())
            Assert.True(InteropModels.Same(ours, theirs[name]), $"{name} differs after {format}");
        source.eval();
        target.eval();
        using var generator = new Generator(7);
        using var window = randn([5, 12, 3], generator: generator);
        using var noGrad = no_grad();
        using var expected = source.call(window);
        using var actual = target.call(window);
        Assert.True(InteropModels.Same(expected, actual), $"forecasts differ after {format}");
    }

    [Fact]
    public void ExportWritesBothFormatsAndInitFromStartsTheConfiguredModelFromThem()
    {
        var run = TrainTinyRun();
        foreach (var format in new[] { "pt", "safetensors" })
        {
            var (code, stdout, stderr) = TinyRuns.InProcess("export", run, "--format", format);
            Assert.True(code == 0, stderr + stdout);
            Assert.Contains($"model.{format}", stdout, StringComparison.Ordinal);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "export", "model.json")));
        var tensors = json.RootElement.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Contains(tensors, t => t.GetProperty("name").GetString() == "rnn.weight_ih_l1" && t.GetProperty("shape").GetArrayLength() == 2);
        Assert.Equal("language_model", json.RootElement.GetProperty("task").GetString());
        Assert.EndsWith("vocabulary.json", json.RootElement.GetProperty("vocabulary").GetString(), StringComparison.Ordinal);

        // The run's best weights, as the checkpoint holds them.
        var settings = ConfigLoader.Load<ExperimentSettings>(Path.Combine(run, "config.yaml")).Value;
        var best = ExperimentBuilder.Build(settings).Task.Model;
        Checkpoint.Load(Path.Combine(run, "checkpoints", "best.ckpt"), best, optimizer: null);
        foreach (var file in new[] { "model.pt", "model.safetensors" })
        {
            var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel, $"init-{file}.yaml");
            var loaded = ConfigLoader.Load<ExperimentSettings>(config, [$"model.init_from={Path.Combine(run, "export", file)}"]);
            var started = ExperimentBuilder.Build(loaded.Value).Task.Model.state_dict();
            foreach (var (name, ours) in best.state_dict())
                Assert.True(InteropModels.Same(ours, started[name]), $"{name} of the model built with init_from {file} is not the exported weight");
        }
    }

    [Fact]
    public void ARunStartedFromAFileNeedsItNoLongerOnceTrained()
    {
        var weights = Path.Combine(_dir, "start.pt");
        StateDictFile.Write(weights, InteropModels.Word(vocabulary: 8, embedding: 8, hidden: 12, layers: 2), WeightFormat.Pt);
        var runs = Path.Combine(_dir, "started-runs");
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "train.epochs=1", $"model.init_from={weights}");
        Assert.True(code == 0, stderr + stdout);
        File.Delete(weights);
        var run = TinyRuns.OnlyRun(runs);
        (code, stdout, stderr) = TinyRuns.InProcess("export", run, "--format", "safetensors");
        Assert.True(code == 0, stderr + stdout);
        (code, stdout, stderr) = TinyRuns.InProcess("generate", run, "--prompt", "s1", "--length", "5");
        Assert.True(code == 0, stderr + stdout);
    }

    [Fact]
    public void EveryBadWeightFileIsOneLineExit2AndNoRunFolder()
    {
        var good = Path.Combine(_dir, "good.pt");
        StateDictFile.Write(good, InteropModels.Word(vocabulary: 8, embedding: 8, hidden: 12, layers: 2), WeightFormat.Pt);
        var garbagePt = Path.Combine(_dir, "garbage.pt");
        var garbageSafetensors = Path.Combine(_dir, "garbage.safetensors");
        File.WriteAllText(garbagePt, "not a zip");
        File.WriteAllText(garbageSafetensors, "not a header");
        var wrongExtension = Path.Combine(_dir, "weights.bin");
        File.Copy(good, wrongExtension);

        var cases = new (string[] overrides, string message)[]
        {
            ([$"model.init_from={Path.Combine(_dir, "missing.pt")}"], "no such file"),
            ([$"model.init_from={wrongExtension}"], "must name a .pt, .pth or .safetensors file"),
            ([$"model.init_from={garbagePt}"], "not a PyTorch state_dict (.pt) file"),
            ([$"model.init_from={garbageSafetensors}"], "not a safetensors file"),
            ([$"model.init_from={good}", "model.layers=3"], "has no tensor 'rnn.weight_ih_l2' (shape [48, 12]) that the model needs"),
            ([$"model.init_from={good}", "model.layers=1"], "has tensor 'rnn.bias_hh_l1' (shape [48]) that the model does not have"),
            ([$"model.init_from={good}", "model.hidden_size=10"], "tensor 'rnn.weight_ih_l0' has shape [48, 8] in the file but [40, 8] in the model"),
        };
        InteropModels.AssertEachTrainIsOneLineExit2WithoutARunFolder(_dir, cases);
    }

    [Fact]
    public void ExportOfABadRunOrFormatIsOneLineExit2()
    {
        var (code, _, stderr) = TinyRuns.InProcess("export", Path.Combine(_dir, "nowhere"));
        Assert.Equal(2, code);
        Assert.Contains("is not a run folder", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        var run = TrainTinyRun();
        (code, _, stderr) = TinyRuns.InProcess("export", run, "--format", "tflite");
        Assert.Equal(2, code);
        Assert.Contains("--format must be pt, safetensors or onnx, got 'tflite'", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(run, "export")));
    }

    private string TrainTinyRun()
    {
        var runs = Path.Combine(_dir, "runs");
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "train.epochs=1");
        Assert.True(code == 0, stderr + stdout);
        return TinyRuns.OnlyRun(runs);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
