using Research.Models.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Parameter = TorchSharp.Modules.Parameter;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// Saving and loading an optimizer's state: 100 steps, save, load into a fresh optimizer over a fresh copy of the
/// weights, 100 more steps equals 200 unbroken steps bit for bit; a state of another kind, options or shapes fails
/// with one line naming the difference and changes nothing; TorchSharp's own saved state imports the same way.
/// </summary>
public sealed class OptimizerStateTests
{
    public static TheoryData<string> Kinds() => ["sgd", "sgd-momentum", "sgd-nesterov", "adam", "adam_w", "rms_prop", "rms_prop-centered-momentum"];

    private static Research.Models.Optimization.Optimizer Create(string kind, IEnumerable<Parameter> p) => kind switch
    {
        "sgd" => new Sgd(p, 0.05, weightDecay: 0.01),
        "sgd-momentum" => new Sgd(p, 0.05, momentum: 0.9, dampening: 0.1),
        "sgd-nesterov" => new Sgd(p, 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam(p, 1e-2, beta1: 0.8, weightDecay: 0.01),
        "adam_w" => new AdamW(p, 1e-2, beta2: 0.95, weightDecay: 0.1),
        "rms_prop" => new RmsProp(p, 1e-2, alpha: 0.9),
        _ => new RmsProp(p, 1e-3, momentum: 0.9, centered: true, weightDecay: 0.01),
    };

    private static OptimizerHelper CreateTorchSharp(string kind, IEnumerable<Parameter> p) => kind switch
    {
        "sgd" => optim.SGD(p, 0.05, weight_decay: 0.01),
        "sgd-momentum" => optim.SGD(p, 0.05, momentum: 0.9, dampening: 0.1),
        "sgd-nesterov" => optim.SGD(p, 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01),
        "adam" => optim.Adam(p, 1e-2, beta1: 0.8, weight_decay: 0.01),
        "adam_w" => optim.AdamW(p, 1e-2, beta2: 0.95, weight_decay: 0.1),
        "rms_prop" => optim.RMSProp(p, 1e-2, alpha: 0.9),
        _ => optim.RMSProp(p, 1e-3, momentum: 0.9, centered: true, weight_decay: 0.01),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveAfter100LoadAndContinueEqualsAnUnbroken200(string kind)
    {
        var batches = TinyProblem.Batches(200);
        var whole = TinyProblem.Create();
        var first = whole.Copy();
        using (var optimizer = Create(kind, whole.Parameters))
            whole.Train(batches, optimizer.ZeroGrad, optimizer.Step);

        var state = new MemoryStream();
        using (var optimizer = Create(kind, first.Parameters))
        {
            first.Train(batches.Take(100), optimizer.ZeroGrad, optimizer.Step);
            optimizer.Save(new BinaryWriter(state));
        }
        var resumed = first.Copy(); // as from a checkpoint: fresh weights, fresh optimizer
        using (var optimizer = Create(kind, resumed.Parameters))
        {
            optimizer.LearningRate = 123; // the saved learning rate comes back
            state.Position = 0;
            optimizer.Load(new BinaryReader(state));
            Assert.Equal(state.Length, state.Position);
            using (var fresh = Create(kind, []))
                Assert.Equal(fresh.LearningRate, optimizer.LearningRate);
            resumed.Train(batches.Skip(100), optimizer.ZeroGrad, optimizer.Step);
        }
        Assert.Equal(0.0, whole.MaxDifference(resumed));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TorchSharpsSavedStateContinuesInOursAsInTorchSharp(string kind)
    {
        var batches = TinyProblem.Batches(200);
        var theirs = TinyProblem.Create();
        using var reference = CreateTorchSharp(kind, theirs.Parameters);
        theirs.Train(batches.Take(100), reference.zero_grad, () => reference.step());
        var state = new MemoryStream();
        reference.save_state_dict(new BinaryWriter(state));

        var ours = theirs.Copy();
        using var optimizer = Create(kind, ours.Parameters);
        state.Position = 0;
        optimizer.LoadTorchSharpState(new BinaryReader(state));
        Assert.Equal(state.Length, state.Position);
        theirs.Train(batches.Skip(100), reference.zero_grad, () => reference.step());
        ours.Train(batches.Skip(100), optimizer.ZeroGrad, optimizer.Step);
        Assert.Equal(0.0, ours.MaxDifference(theirs));
    }

    [Fact]
    public void AnotherKindFailsWithOneLineNamingBoth()
    {
        var problem = TinyProblem.Create();
        var error = LoadFails(new Adam(problem.Parameters), new Sgd(problem.Parameters, 0.1));
        Assert.Contains("Adam", error, StringComparison.Ordinal);
        Assert.Contains("Sgd", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherShapesFailWithOneLineNamingTheShapes()
    {
        var error = LoadFails(new Adam(TinyProblem.Create(hidden: 6).Parameters), new Adam(TinyProblem.Create(hidden: 7).Parameters));
        Assert.Contains("parameter 0's exp_avg is float64 [6, 4] in the saved state, the parameter is float64 [7, 4]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherDtypeFails()
    {
        var error = LoadFails(new RmsProp(TinyProblem.Create().Parameters), new RmsProp(TinyProblem.Create(dtype: ScalarType.Float32).Parameters));
        Assert.Contains("float32", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherOptionsFailWithOneLineNamingTheOption()
    {
        var problem = TinyProblem.Create();
        var error = LoadFails(new Sgd(problem.Parameters, 0.1, momentum: 0.9), new Sgd(problem.Parameters, 0.1, momentum: 0.5));
        Assert.Contains("momentum is 0.9 in the saved state, 0.5 here", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherParameterCountFails()
    {
        var problem = TinyProblem.Create();
        var error = LoadFails(new AdamW(problem.Parameters), new AdamW(problem.Parameters.Take(3)));
        Assert.Contains("5 parameters saved, this optimizer has 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchSharpStateOfAnotherKindFailsWithOneLine()
    {
        var problem = TinyProblem.Create();
        var state = new MemoryStream();
        optim.Adam(problem.Parameters).save_state_dict(new BinaryWriter(state));
        state.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => new RmsProp(problem.Parameters).LoadTorchSharpState(new BinaryReader(state))).Message;
        Assert.Equal("optimizer state: saved by TorchSharp's Adam, this optimizer is RmsProp", error);
    }

    [Fact]
    public void TruncatedOrForeignBytesFail()
    {
        var problem = TinyProblem.Create();
        var state = new MemoryStream();
        new Adam(problem.Parameters).Save(new BinaryWriter(state));
        var truncated = new MemoryStream(state.ToArray()[..(int)(state.Length / 2)]);
        const string Early = "optimizer state: ends early (truncated, or not an optimizer state)";
        Assert.Equal(Early, Assert.Throws<InvalidDataException>(() => new Adam(problem.Parameters).Load(new BinaryReader(truncated))).Message);
        var foreign = new MemoryStream("not a state at all"u8.ToArray());
        Assert.Equal(Early, Assert.Throws<InvalidDataException>(() => new Adam(problem.Parameters).Load(new BinaryReader(foreign))).Message);
        var other = new MemoryStream();
        new BinaryWriter(other).Write("some other format");
        other.Position = 0;
        Assert.Equal("optimizer state: not in the format research-optimizer/1 (read 'some other format')",
            Assert.Throws<InvalidDataException>(() => new Adam(problem.Parameters).Load(new BinaryReader(other))).Message);
    }

    /// <summary>Saves <paramref name="saved"/>'s state (after a few steps), loads it into <paramref name="target"/>: the one-line message; target unchanged.</summary>
    private static string LoadFails(Research.Models.Optimization.Optimizer saved, Research.Models.Optimization.Optimizer target)
    {
        for (var k = 0; k < 3; k++)
        {
            foreach (var p in saved.Parameters)
                p.grad = randn_like(p);
            saved.Step();
        }
        var state = new MemoryStream();
        saved.Save(new BinaryWriter(state));
        var before = new MemoryStream();
        target.Save(new BinaryWriter(before));
        state.Position = 0;
        var message = Assert.Throws<InvalidDataException>(() => target.Load(new BinaryReader(state))).Message;
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("optimizer state: ", message, StringComparison.Ordinal);
        var after = new MemoryStream();
        target.Save(new BinaryWriter(after));
        Assert.Equal(before.ToArray(), after.ToArray());
        return message;
    }
}
