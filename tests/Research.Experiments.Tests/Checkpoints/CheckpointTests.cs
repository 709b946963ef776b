using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Runs;
using Research.Experiments.Training;
using Research.Models.Optimization;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Parameter = TorchSharp.Modules.Parameter;

namespace Research.Experiments.Tests.Checkpoints;

/// <summary>
/// Checkpoints hold the project's optimizer state (RSCHKPT2): saved, loaded into a fresh model and optimizer, training
/// continues exactly. Older checkpoints (RSCHKPT1, TorchSharp's optimizer state) load fully, continuing exactly as
/// TorchSharp's optimizer would have; their weights load without an optimizer; a state that cannot continue fails
/// with one line, also on the command line.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-checkpoint").FullName;
    private static readonly CheckpointMeta Meta = new(3, 150, 0.5, 2, 1, 0.01, 0.6, "resolved: yaml", new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), 12.5);

    private static nn.Module<Tensor, Tensor> Model() => nn.Sequential(
        ("first", nn.Linear(4, 6, dtype: ScalarType.Float64)), ("tanh", nn.Tanh()), ("second", nn.Linear(6, 3, dtype: ScalarType.Float64)));

    /// <summary>
    /// Fixed batches for every copy (drawn once, so other tests' draws cannot change what each copy sees), detached from
    /// the scope of the test that first reads them, which would free them when it ends (TensorScopePerTest).
    /// </summary>
    private static readonly List<(Tensor X, Tensor Y)> Batches =
        [.. Enumerable.Range(0, 100).Select(_ => (randn([8, 4], dtype: ScalarType.Float64).DetachFromDisposeScope(),
            randn([8, 3], dtype: ScalarType.Float64).DetachFromDisposeScope()))];

    private static void Train(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor Y)> batches, Action zeroGrad, Action step)
    {
        using var two = 2.ToScalar();
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            zeroGrad();
            var output = model.call(x);
            (output - y).pow(two).mean().Plus(output.sin().mean()).backward();
            step();
        }
    }

    private static double MaxDifference(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters(), (p, q) => (p - q).abs().max().item<double>()).Max();

    [Fact]
    public void TheProjectsOptimizerStateResumesExactly()
    {
        var path = Path.Combine(_dir, "new.ckpt");
        var model = Model();
        using var optimizer = new Adam(model.parameters(), 1e-2, weightDecay: 0.01);
        Train(model, Batches.Take(50), optimizer.ZeroGrad, optimizer.Step);
        Checkpoint.Save(path, Meta, model, optimizer);
        Train(model, Batches.Skip(50), optimizer.ZeroGrad, optimizer.Step);

        var resumed = Model();
        using var fresh = new Adam(resumed.parameters(), 1e-2, weightDecay: 0.01);
        Assert.Equal(Meta, Checkpoint.Load(path, resumed, fresh));
        Train(resumed, Batches.Skip(50), fresh.ZeroGrad, fresh.Step);
        Assert.Equal(0.0, MaxDifference(model, resumed));
        Assert.Equal("RSCHKPT2"u8.ToArray(), File.ReadAllBytes(path)[..8]);
    }

    public static TheoryData<string> Kinds() => ["sgd", "adam", "adam_w", "rms_prop"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnOldCheckpointResumesAsTorchSharpsOptimizerWouldHave(string kind)
    {
        var path = Path.Combine(_dir, "old.ckpt");
        var model = Model();
        using var reference = TorchSharpOptimizer(kind, model.parameters());
        Train(model, Batches.Take(50), reference.zero_grad, () => reference.step());
        LegacyCheckpoint.Write(path, Meta, model, reference);
        Train(model, Batches.Skip(50), reference.zero_grad, () => reference.step());

        var resumed = Model();
        using var ours = OptimizerFactory.Create(resumed.parameters(), Settings(kind));
        Assert.Equal(Meta, Checkpoint.Load(path, resumed, ours));
        Train(resumed, Batches.Skip(50), ours.ZeroGrad, ours.Step);
        Assert.Equal(0.0, MaxDifference(model, resumed));
    }

    [Fact]
    public void AnOldCheckpointsWeightsLoadWithoutAnOptimizer()
    {
        var path = Path.Combine(_dir, "old.ckpt");
        var model = Model();
        using var reference = TorchSharpOptimizer("rms_prop", model.parameters());
        Train(model, Batches.Take(10), reference.zero_grad, () => reference.step());
        LegacyCheckpoint.Write(path, Meta, model, reference);
        var loaded = Model();
        Assert.Equal(Meta, Checkpoint.Load(path, loaded, optimizer: null));
        Assert.Equal(0.0, MaxDifference(model, loaded));
        Assert.Equal(Meta, Checkpoint.ReadMeta(path));
    }

    [Fact]
    public void AnOldCheckpointOfAnotherOptimizerFailsWithOneLine()
    {
        var path = Path.Combine(_dir, "old.ckpt");
        var model = Model();
        using var reference = TorchSharpOptimizer("sgd", model.parameters());
        LegacyCheckpoint.Write(path, Meta, model, reference);
        using var ours = OptimizerFactory.Create(model.parameters(), Settings("adam"));
        var message = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Model(), ours)).Message;
        Assert.Equal($"{path}: the checkpoint predates the project's optimizers (RSCHKPT1) and its TorchSharp optimizer state cannot continue here: "
            + "optimizer state: saved by TorchSharp's SGD, this optimizer is Adam", message);
    }

    [Fact]
    public void ANewCheckpointWithOtherOptionsFailsWithOneLine()
    {
        var path = Path.Combine(_dir, "new.ckpt");
        var model = Model();
        using (var optimizer = new Sgd(model.parameters(), 0.1, momentum: 0.9))
            Checkpoint.Save(path, Meta, model, optimizer);
        using var other = new Sgd(model.parameters(), 0.1, momentum: 0.8);
        var message = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Model(), other)).Message;
        Assert.Equal($"{path}: optimizer state: momentum is 0.9 in the saved state, 0.8 here", message);
    }

    [Fact]
    public void ANewerFormatOrAnotherFileFailsWithOneLine()
    {
        var path = Path.Combine(_dir, "newer.ckpt");
        var model = Model();
        using var reference = TorchSharpOptimizer("sgd", model.parameters());
        LegacyCheckpoint.Write(path, Meta, model, reference, magic: "RSCHKPT3");
        Assert.Equal($"{path}: a Research checkpoint of a newer format (RSCHKPT3); this build reads RSCHKPT1 and RSCHKPT2",
            Assert.Throws<InvalidDataException>(() => Checkpoint.ReadMeta(path)).Message);
        File.WriteAllText(path, "hello, world");
        Assert.Equal($"{path}: not a Research checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.ReadMeta(path)).Message);
    }

    /// <summary>
    /// A run whose checkpoints are rewritten as RSCHKPT1: resume goes on from TorchSharp's Adam state; with another
    /// optimizer's state resume fails with one line (exit 1), and generate still reads the weights.
    /// </summary>
    [Fact]
    public void TheCommandLineResumesOldCheckpointsOrSaysInOneLineWhyNot()
    {
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var runs = Path.Combine(_dir, "runs");
        var (code, stdout, stderr) = TinyRuns.InProcess("train", config, "--runs-dir", runs, "train.epochs=2");
        Assert.True(code == 0, stdout + stderr);
        var run = TinyRuns.OnlyRun(runs);
        var (last, best) = (Path.Combine(run, "checkpoints", "last.ckpt"), Path.Combine(run, "checkpoints", "best.ckpt"));
        var settings = ConfigLoader.Load<ExperimentSettings>(Path.Combine(run, "config.yaml")).Value;

        void Rewrite(string checkpoint, Func<IEnumerable<Parameter>, OptimizerHelper> optimizer)
        {
            var model = ExperimentBuilder.Build(settings).Task.Model;
            var meta = Checkpoint.Load(checkpoint, model, optimizer: null);
            using var torchSharp = optimizer(model.parameters());
            LegacyCheckpoint.Write(checkpoint, meta, model, torchSharp);
        }

        Rewrite(best, p => optim.Adam(p, settings.Train.Lr));
        Rewrite(last, p => optim.Adam(p, settings.Train.Lr));
        File.WriteAllText(Path.Combine(run, "config.yaml"), File.ReadAllText(Path.Combine(run, "config.yaml")).Replace("epochs: 2", "epochs: 3", StringComparison.Ordinal));
        (code, stdout, stderr) = TinyRuns.InProcess("train", "--resume", run);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("resuming", stdout, StringComparison.Ordinal);
        Assert.Equal("RSCHKPT2"u8.ToArray(), File.ReadAllBytes(last)[..8]);

        Rewrite(best, p => optim.SGD(p, settings.Train.Lr));
        Rewrite(last, p => optim.SGD(p, settings.Train.Lr));
        (code, stdout, stderr) = TinyRuns.InProcess("train", "--resume", run);
        Assert.Equal(1, code);
        Assert.Equal($"research train: error: {last}: the checkpoint predates the project's optimizers (RSCHKPT1) and its TorchSharp optimizer state "
            + "cannot continue here: optimizer state: saved by TorchSharp's SGD, this optimizer is Adam", stderr.Trim());

        (code, stdout, stderr) = TinyRuns.InProcess("generate", run, "--prompt", "s1 s2", "--length", "5");
        Assert.True(code == 0, stdout + stderr);
    }

    private static TrainSettings Settings(string kind) => new()
    {
        Optimizer = kind switch { "sgd" => OptimizerKind.Sgd, "adam" => OptimizerKind.Adam, "adam_w" => OptimizerKind.AdamW, _ => OptimizerKind.RmsProp },
        Lr = 0.01,
        Momentum = kind is "sgd" or "rms_prop" ? 0.9 : 0,
        Centered = kind == "rms_prop",
        WeightDecay = 0.01,
        Alpha = 0.95,
    };

    private static OptimizerHelper TorchSharpOptimizer(string kind, IEnumerable<Parameter> p) => kind switch
    {
        "sgd" => optim.SGD(p, 0.01, momentum: 0.9, weight_decay: 0.01),
        "adam" => optim.Adam(p, 0.01, weight_decay: 0.01),
        "adam_w" => optim.AdamW(p, 0.01, weight_decay: 0.01),
        _ => optim.RMSProp(p, 0.01, alpha: 0.95, weight_decay: 0.01, momentum: 0.9, centered: true),
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
