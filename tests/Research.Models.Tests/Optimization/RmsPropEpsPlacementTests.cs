using Research.Models.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// RMSprop's ε inside the root (Keras 3: θ ← θ − γ g / √(v + ε)) and outside (PyTorch: √v + ε), centered or not, with
/// and without momentum: a few steps on a small parameter against the update written out by hand in float64; states
/// saved with either placement resume, and a state saved before the option existed loads as ε outside.
/// </summary>
public sealed class RmsPropEpsPlacementTests
{
    private const double Lr = 0.01, Alpha = 0.9, Eps = 1e-3;

    // Gradients of the size of √ε, so where ε sits changes every step visibly.
    private static readonly double[][] Gradients =
    [
        [0.03, -0.002, 0.0005, -0.04, 0.01],
        [0.01, 0.004, -0.0015, -0.02, 0.0],
        [-0.02, 0.001, 0.002, 0.03, -0.005],
        [0.005, -0.003, 0.0, 0.01, 0.02],
    ];

    private static readonly double[] Start = [0.5, -0.25, 0.125, 1.0, -0.75];

    public static TheoryData<bool, bool, double> Cases()
    {
        var cases = new TheoryData<bool, bool, double>();
        foreach (var inside in new[] { false, true })
        {
            foreach (var centered in new[] { false, true })
            {
                foreach (var momentum in new[] { 0.0, 0.9 })
                    cases.Add(inside, centered, momentum);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsFollowTheFormulaWrittenOutByHand(bool epsInsideSqrt, bool centered, double momentum)
    {
        var parameter = nn.Parameter(tensor(Start, dtype: ScalarType.Float64));
        using var optimizer = new RmsProp([parameter], Lr, Alpha, Eps, momentum, centered, epsInsideSqrt: epsInsideSqrt);
        var expected = ByHand(epsInsideSqrt, centered, momentum);
        var other = ByHand(!epsInsideSqrt, centered, momentum);
        foreach (var g in Gradients)
        {
            parameter.grad = tensor(g, dtype: ScalarType.Float64);
            optimizer.Step();
        }
        var actual = parameter.detach().data<double>().ToArray();
        for (var i = 0; i < Start.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-14);
            // The other placement is far off: the test tells the two apart.
            if (Gradients.Any(g => g[i] != 0))
                Assert.True(Math.Abs(other[i] - actual[i]) > 1e-6, $"element {i}: both placements give {actual[i]}");
        }
    }

    [Fact]
    public void TheOptionIsAHyperparameterAndTheDefaultIsPyTorchs()
    {
        using var pytorch = new RmsProp([nn.Parameter(zeros(2))]);
        using var keras = new RmsProp([nn.Parameter(zeros(2))], epsInsideSqrt: true);
        Assert.Equal(0.0, pytorch.Hyperparameters.Single(h => h.Name == "eps_inside_sqrt").Value);
        Assert.Equal(1.0, keras.Hyperparameters.Single(h => h.Name == "eps_inside_sqrt").Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AStateSavedWithEpsInsideResumesAsAnUnbrokenRun(bool centered)
    {
        var batches = TinyProblem.Batches(40);
        var whole = TinyProblem.Create();
        var first = whole.Copy();
        RmsProp Create(IEnumerable<Parameter> p) => new(p, 1e-2, alpha: 0.9, eps: 1e-7, momentum: 0.5, centered: centered, epsInsideSqrt: true);
        using (var optimizer = Create(whole.Parameters))
            whole.Train(batches, optimizer.ZeroGrad, optimizer.Step);

        var state = new MemoryStream();
        using (var optimizer = Create(first.Parameters))
        {
            first.Train(batches.Take(20), optimizer.ZeroGrad, optimizer.Step);
            optimizer.Save(new BinaryWriter(state));
        }
        var resumed = first.Copy();
        using (var optimizer = Create(resumed.Parameters))
        {
            state.Position = 0;
            optimizer.Load(new BinaryReader(state));
            resumed.Train(batches.Skip(20), optimizer.ZeroGrad, optimizer.Step);
        }
        Assert.Equal(0.0, whole.MaxDifference(resumed));

        state.Position = 0;
        using var outside = new RmsProp(TinyProblem.Create().Parameters, 1e-2, alpha: 0.9, eps: 1e-7, momentum: 0.5, centered: centered);
        var error = Assert.Throws<InvalidDataException>(() => outside.Load(new BinaryReader(state))).Message;
        Assert.Equal("optimizer state: eps_inside_sqrt is 1 in the saved state, 0 here", error);
    }

    [Fact]
    public void AStateSavedBeforeTheOptionExistedLoadsAsEpsOutside()
    {
        var problem = TinyProblem.Create();
        var state = OlderState(problem.Parameters);
        using (var outside = new RmsProp(problem.Parameters, 1e-2, alpha: 0.9))
        {
            outside.Load(new BinaryReader(state));
            Assert.Equal(state.Length, state.Position);
        }
        state.Position = 0;
        using var inside = new RmsProp(problem.Parameters, 1e-2, alpha: 0.9, epsInsideSqrt: true);
        var error = Assert.Throws<InvalidDataException>(() => inside.Load(new BinaryReader(state))).Message;
        Assert.Equal("optimizer state: eps_inside_sqrt is 0 in the saved state, 1 here", error);
    }

    /// <summary>
    /// v ← αv + (1 − α)g²; centered ḡ ← αḡ + (1 − α)g, w = v − ḡ², else w = v; d = √(w + ε) inside, √w + ε outside;
    /// μ > 0: b ← μb + g / d, θ ← θ − γb; else θ ← θ − γ g / d.
    /// </summary>
    private static double[] ByHand(bool epsInsideSqrt, bool centered, double momentum)
    {
        var theta = (double[])Start.Clone();
        var v = new double[theta.Length];
        var mean = new double[theta.Length];
        var buffer = new double[theta.Length];
        foreach (var g in Gradients)
        {
            for (var i = 0; i < theta.Length; i++)
            {
                v[i] = (Alpha * v[i]) + ((1 - Alpha) * g[i] * g[i]);
                mean[i] = (Alpha * mean[i]) + ((1 - Alpha) * g[i]);
                var w = centered ? v[i] - (mean[i] * mean[i]) : v[i];
                var d = epsInsideSqrt ? Math.Sqrt(w + Eps) : Math.Sqrt(w) + Eps;
                if (momentum > 0)
                {
                    buffer[i] = (momentum * buffer[i]) + (g[i] / d);
                    theta[i] -= Lr * buffer[i];
                }
                else
                {
                    theta[i] -= Lr * g[i] / d;
                }
            }
        }
        return theta;
    }

    /// <summary>An RMSprop state as written before eps_inside_sqrt existed: the same format, five options, after one step.</summary>
    private static MemoryStream OlderState(IReadOnlyList<Parameter> parameters)
    {
        var state = new MemoryStream();
        var writer = new BinaryWriter(state);
        writer.Write("research-optimizer/1");
        writer.Write("RmsProp");
        writer.Write(1e-2);
        (string, double)[] options = [("alpha", 0.9), ("eps", 1e-8), ("momentum", 0.0), ("centered", 0.0), ("weight_decay", 0.0)];
        writer.Write(options.Length);
        foreach (var (name, value) in options)
        {
            writer.Write(name);
            writer.Write(value);
        }
        string[] slots = ["square_avg", "grad_avg", "momentum_buffer"];
        writer.Write(slots.Length);
        foreach (var name in slots)
            writer.Write(name);
        writer.Write(parameters.Count);
        using var quarter = 0.25.ToScalar();
        foreach (var p in parameters)
        {
            writer.Write(1L);
            writer.Write(true);
            full_like(p, quarter).Save(writer);
            writer.Write(false);
            writer.Write(false);
        }
        state.Position = 0;
        return state;
    }
}
