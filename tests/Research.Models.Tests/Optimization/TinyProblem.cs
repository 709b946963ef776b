using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// A small float64 regression net, tanh(x W₁ᵀ + b₁) W₂ᵀ + b₂, with a squared-error plus sine loss (so the gradients
/// change every step), and a parameter no loss reads (no gradient: every optimizer must skip it). Copies start equal.
/// </summary>
internal sealed class TinyProblem
{
    private TinyProblem(List<Parameter> parameters) => Parameters = parameters;

    public List<Parameter> Parameters { get; }

    public static TinyProblem Create(long hidden = 6, ScalarType dtype = ScalarType.Float64, int seed = 17)
    {
        manual_seed(seed);
        long[][] shapes = [[hidden, 4], [hidden], [3, hidden], [3], [2]];
        return new([.. shapes.Select(s => nn.Parameter(randn(s, dtype: dtype)))]);
    }

    public TinyProblem Copy() => new([.. Parameters.Select(p => nn.Parameter(p.detach().clone()))]);

    /// <summary>The batches every copy sees: <paramref name="count"/> pairs (x [16, 4], y [16, 3]), fixed by the seed.</summary>
    public static List<(Tensor X, Tensor Y)> Batches(int count, ScalarType dtype = ScalarType.Float64, int seed = 5)
    {
        manual_seed(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (randn([16, 4], dtype: dtype), randn([16, 3], dtype: dtype)))];
    }

    public Tensor Loss(Tensor x, Tensor y)
    {
        using var two = 2.ToScalar();
        using var weight = 0.3.ToScalar();
        var h = tanh(x.matmul(Parameters[0].t()).Plus(Parameters[1]));
        var output = h.matmul(Parameters[2].t()).Plus(Parameters[3]);
        return (output - y).pow(two).mean().Plus(output.sin().mean().mul(weight));
    }

    /// <summary>zero_grad, loss, backward, step for every batch, one dispose scope each.</summary>
    public void Train(IEnumerable<(Tensor X, Tensor Y)> batches, Action zeroGrad, Action step)
    {
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            zeroGrad();
            Loss(x, y).backward();
            step();
        }
    }

    public double MaxDifference(TinyProblem other) =>
        Parameters.Zip(other.Parameters, (a, b) => (a - b).abs().max().item<double>()).Max();
}
