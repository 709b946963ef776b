using System.Diagnostics;
using System.Text.Json.Nodes;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Runs;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Safety;

/// <summary>
/// Numerical safety under <see cref="GcStress"/>: every task trains a few hundred steps while a thread collects garbage
/// and runs finalisers back to back, and ends with no libtorch error; and the stress has teeth: the same loop with an
/// implicit Scalar fails within a bounded number of operations.
/// </summary>
public sealed class GcStressTests : IDisposable
{
    private readonly string _runs = Directory.CreateTempSubdirectory("research-gc-stress").FullName;

    public static TheoryData<string, string[]> Tasks() => new()
    {
        // Word-level language models: the quickstart (Adam), and PTB's setting (SGD, summed loss over steps) on the same
        // source, since PTB's own 82k-token evaluations take minutes while every collection walks the corpus.
        { "configs/quickstart.yaml", ["model.hidden_size=16", "data.train_tokens=40000", "data.eval_tokens=2000"] },
        { "configs/ptb-small.yaml", ["data.name=markov", "data.symbols=32", "data.train_tokens=40000", "data.eval_tokens=2000",
            "model.embedding_size=16", "model.hidden_size=16", "train.bptt=10"] },
        // Character level, one-hot input, RMSprop with value clipping.
        { "configs/repro/char/char-rnn.yaml", ["model.hidden_size=16", "train.bptt=10", "train.batch_size=10", "train.eval_batch_size=200"] },
        // Keras-style text windows.
        { "configs/repro/char/keras-text-generation.yaml", ["model.hidden_size=16", "train.batch_size=32", "train.eval_batch_size=2048"] },
        // Forecaster (Adam), without and with RevIN windows.
        { "configs/repro/airline.yaml", ["model.hidden_size=8", "train.batch_size=4"] },
        { "configs/repro/airline-revin.yaml", ["model.hidden_size=8", "train.batch_size=4"] },
        // Sequence tasks: adding, copying, polyphonic music.
        { "configs/adding.yaml", ["model.hidden_size=8", "data.sequence_length=20", "data.train_sequences=2000", "data.eval_sequences=100"] },
        { "configs/copying.yaml", ["model.hidden_size=8", "data.sequence_length=20", "data.train_sequences=2000", "data.eval_sequences=100"] },
        { "configs/jsb.yaml", ["model.hidden_size=8", "train.early_stopping_patience=0"] },
    };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void EveryTaskTrainsAFewHundredStepsUnderGcStressWithoutALibTorchError(string config, string[] overrides)
    {
        const int steps = 200;
        var args = new[] { "train", Path.Combine(TinyRuns.RepositoryRoot, config), "--runs-dir", _runs, "train.gc_stress=true",
            $"train.max_steps={steps}", "train.epochs=10000", $"data.dir={TinyRuns.SharedData}" }.Concat(overrides).ToArray();
        var (code, stdout, stderr) = TinyRuns.InProcess(args);
        Assert.True(code == 0, $"{config}: {stderr}{stdout}");
        Assert.DoesNotContain("libtorch error", stderr, StringComparison.Ordinal);
        var run = Assert.Single(Directory.GetDirectories(Assert.Single(Directory.GetDirectories(_runs))));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!.AsObject();
        Assert.Equal(steps, summary["steps"]!.GetValue<int>());
        Assert.Equal(0, summary["libtorch_retries"]!.GetValue<int>());
        Assert.True(summary["gc_stress_cycles"]!.GetValue<long>() > steps / 10, $"{config}: the stress thread barely ran");
    }

    [Fact]
    public void TheProjectsHeldScalarsGiveExactSumsUnderStress()
    {
        using var a = randn(64, 64);
        using var b = randn(64, 64);
        using var expected = a.Plus(b);
        using var stress = GcStress.StartIf(true)!;
        for (var i = 0; i < 20_000; i++)
        {
            using var scope = NewDisposeScope();
            Assert.True(a.Plus(b).allclose(expected, 0, 0), $"held Scalar: wrong sum at call {i}");
        }
        Assert.True(stress.Cycles > 10);
    }

    // The stress has teeth: TorchSharp's implicit Scalars fail under it within a bound, ours never. Those runs are meant
    // to fail, and a freed Scalar can corrupt native memory, so they run in a process of their own (Research.StressProbe).
    [Fact]
    public void AnImplicitScalarAdditionFailsUnderStressWithinBoundedOperations()
    {
        var (code, stdout) = Probe("implicit-plus", "2000000");
        Assert.True(code != 0, $"2,000,000 implicit-Scalar additions under GC stress never failed: {stdout}");
    }

    [Fact]
    public void TheSameRunFailsWithTorchSharpsAdamAndPassesWithOurs()
    {
        var config = Path.Combine(TinyRuns.RepositoryRoot, "configs", "repro", "airline-revin.yaml");
        var data = $"data.dir={TinyRuns.SharedData}";
        var (theirs, theirOutput) = Probe("train", "torchsharp", config, "20000", data);
        Assert.True(theirs != 0, $"TorchSharp's Adam ran 20,000 steps of airline-revin under GC stress without an error: {theirOutput}");
        var (ours, ourOutput) = Probe("train", "project", config, "2000", data);
        Assert.True(ours == 0, $"the project's Adam failed under GC stress: {ourOutput}");
    }

    // Tensors have the same hazard: a GRU step by the static GruCell.Step outside any dispose scope (as in a notebook
    // cell) is freed under its feet; the module's call, which opens a scope of its own, gives the same result every time.
    [Fact]
    public void AGruStepOutsideAnyScopeFailsUnderStressAndTheModulesCallDoesNot()
    {
        var (unscoped, unscopedOutput) = Probe("gru-step", "static", "200000");
        Assert.True(unscoped != 0, $"200,000 unscoped GRU steps under GC stress never failed: {unscopedOutput}");
        var (module, moduleOutput) = Probe("gru-step", "module", "20000");
        Assert.True(module == 0, $"GruCell.call failed under GC stress: {moduleOutput}");
    }

    // Building an experiment chains tensor ops outside any scope (the copying task's one-hot batches, the text windows'
    // narrow-then-unfold); each of these two segfaulted on its first build under stress before the build held them.
    [Theory]
    [InlineData("configs/copying.yaml")]
    [InlineData("configs/repro/char/keras-text-generation.yaml")]
    public void BuildingAnExperimentSurvivesStress(string config)
    {
        var settings = ConfigLoader.Load<ExperimentSettings>(Path.Combine(TinyRuns.RepositoryRoot, config), [$"data.dir={TinyRuns.SharedData}"]).Value;
        using var stress = GcStress.StartIf(true)!;
        for (var build = 0; build < 3; build++)
            ExperimentBuilder.Build(settings).Task.Model.Dispose();
        Assert.True(stress.Cycles > 10, $"{config}: the stress thread barely ran");
    }

    private static (int Code, string Output) Probe(params string[] args)
    {
        var dll = Path.Combine(TinyRuns.RepositoryRoot, "tests", "Research.StressProbe", "bin", "Release", "net10.0", "Research.StressProbe.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The probe is meant to crash. Under `dotnet test --blame-crash` (scripts/test.sh) it would inherit the test host's
        // request for a crash dump and leave one (about 170 MB) in TestResults, listed as if a test host had died.
        foreach (var prefix in new[] { "DOTNET_", "COMPlus_" })
            info.Environment[prefix + "DbgEnableMiniDump"] = "0";
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"StressProbe {string.Join(' ', args)} ran over 5 minutes");
        }
        return (process.ExitCode, $"exit {process.ExitCode}: {stdout.Result}{stderr.Result}");
    }

    public void Dispose() => Directory.Delete(_runs, recursive: true);
}
