using System.Collections;
using System.Diagnostics;
using Research.Experiments.Interop;
using Research.Experiments.Tests.Runs;
using Research.Models.Language;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>
/// Real PyTorch (Debian 12's python3-torch 1.13) against our word, one-hot char and tied language models, both ways,
/// through scripts/interop/check_pytorch.py: our exported .pt loads into a plain Embedding → nn.LSTM → Linear model that
/// reproduces our logits, and a model PyTorch saved loads with model.init_from and reproduces PyTorch's, to 1e-5 in
/// float32. onnx's checker (python3-onnx 1.12, scripts/interop/check_onnx.py) accepts every exported ONNX model.
/// Needs python3-torch and python3-onnx and fails without them; scripts/test.sh runs this category only when
/// RESEARCH_PYTORCH_TESTS=1, as .ci/run sets after installing it (docs/interop.md). RESEARCH_PYTHON picks the
/// interpreter (default /usr/bin/python3, Debian's, which has the package).
/// </summary>
[Trait("Category", "PyTorch")]
public sealed class PyTorchInteropTests(ITestOutputHelper log) : IDisposable
{
    private const double Tolerance = 1e-5;

    private readonly string _dir = Directory.CreateTempSubdirectory("research-pytorch").FullName;

    [Theory]
    [InlineData("word")]
    [InlineData("char_one_hot")]
    [InlineData("tied")]
    public void PyTorchLoadsOurExportedStateDictAndReproducesOurLogits(string kind)
    {
        var model = kind == "word" ? InteropModels.Word() : OnnxTestModels.Language(kind);
        var weights = Path.Combine(_dir, "ours.pt");
        StateDictFile.Write(weights, model, WeightFormat.Pt);
        var io = Path.Combine(_dir, "ours-io.pt");
        using (var tokens = InteropModels.Tokens(vocabulary: model.Options.VocabularySize))
        using (var logits = InteropModels.Logits(model, tokens))
            PyTorchPickler.PickleStateDict(io, new Hashtable { ["tokens"] = tokens, ["logits"] = logits });

        var (code, output) = Script("check_pytorch.py", "check", weights, io, "--tolerance", Tolerance.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        log.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Contains(": ok", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("word")]
    [InlineData("char_one_hot")]
    [InlineData("tied")]
    public void AModelPyTorchSavedLoadsWithInitFromAndReproducesPyTorchsLogits(string kind)
    {
        var weights = Path.Combine(_dir, "theirs.pt");
        var io = Path.Combine(_dir, "theirs-io.pt");
        var embedding = kind == "tied" ? 24 : 16;
        string[] variant = kind switch { "char_one_hot" => ["--input", "one_hot"], "tied" => ["--tied"], _ => [] };
        var (code, output) = Script("check_pytorch.py", ["make", weights, io, "--vocabulary", "50", "--embedding", $"{embedding}", "--hidden", "24", "--layers", "2", "--seed", "1", .. variant]);
        Assert.True(code == 0, output);

        var model = new LanguageModel(new LanguageModelOptions(50, embedding, 24, 2, TieWeights: kind == "tied")
        {
            Input = kind == "char_one_hot" ? LanguageModelInput.OneHot : LanguageModelInput.Embedding,
        });
        model.eval();
        WeightImport.Apply(model, weights);
        var expected = PyTorchUnpickler.UnpickleStateDict(io);
        using var tokens = (Tensor)expected["tokens"]!;
        using var theirs = (Tensor)expected["logits"]!;
        using var ours = InteropModels.Logits(model, tokens);
        Assert.Equal(theirs.shape, ours.shape);
        var difference = InteropModels.MaxAbsDifference(ours, theirs);
        log.WriteLine($"{output.Trim()}\nRecorded: logits {string.Join('x', ours.shape)}, max |ours - PyTorch| = {difference:G3}");
        Assert.True(difference <= Tolerance, $"max |ours - PyTorch| = {difference:G3} > {Tolerance:G3}\n{output}");
    }

    [Fact]
    public void OnnxsCheckerAcceptsEveryExportedModel()
    {
        var paths = new List<string>();
        foreach (var kind in OnnxTestModels.LanguageKinds)
        {
            paths.Add(Path.Combine(_dir, $"lm-{kind}.onnx"));
            OnnxExport.Write(paths[^1], OnnxTestModels.Language(kind));
        }
        foreach (var kind in OnnxTestModels.ForecasterKinds)
        {
            var (model, scaling) = OnnxTestModels.Forecaster(kind);
            paths.Add(Path.Combine(_dir, $"forecaster-{kind}.onnx"));
            OnnxExport.Write(paths[^1], model, scaling);
        }
        var (code, output) = Script("check_onnx.py", [.. paths]);
        log.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Equal(paths.Count, output.Split('\n').Count(line => line.Contains(": ok (onnx", StringComparison.Ordinal)));
    }

    private (int code, string output) Script(string name, params string[] args)
    {
        var python = Environment.GetEnvironmentVariable("RESEARCH_PYTHON") ?? "/usr/bin/python3";
        var script = Path.Combine(TinyRuns.RepositoryRoot, "scripts", "interop", name);
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{python} {script} did not finish in 2 minutes");
        }
        var output = stdout.Result + stderr.Result;
        Assert.False(output.Contains("No module named 'torch'", StringComparison.Ordinal),
            $"{python} has no PyTorch: apt-get install python3-torch (Debian 12), or set RESEARCH_PYTHON to one that has it");
        Assert.False(output.Contains("No module named 'onnx'", StringComparison.Ordinal),
            $"{python} has no onnx: apt-get install python3-onnx (Debian 12), or set RESEARCH_PYTHON to one that has it");
        return (process.ExitCode, output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
