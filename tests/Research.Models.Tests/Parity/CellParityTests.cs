using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Parity;

/// <summary>GruCell and RnnCell against nn.GRUCell and nn.RNNCell: h' and the gradients of x, h and every parameter.</summary>
public sealed class CellParityTests
{
    public static TheoryData<string, bool> Cases() => new()
    {
        { "gru", false }, { "gru", true }, { "rnn-tanh", false }, { "rnn-tanh", true }, { "rnn-relu", false }, { "rnn-relu", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheTorchSharpCell(string kind, bool unbatched)
    {
        manual_seed(51);
        const long input = 5, hidden = 7;
        var dtype = ScalarType.Float64;
        var nonLinearity = kind == "rnn-relu" ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh;
        (nn.Module ours, Func<Tensor, Tensor, Tensor> stepOurs, nn.Module reference, Func<Tensor, Tensor, Tensor> stepReference) = kind == "gru"
            ? Pair(new GruCell(input, hidden, dtype: dtype), nn.GRUCell(input, hidden, dtype: dtype))
            : Pair(new RnnCell(input, hidden, nonLinearity, dtype: dtype), nn.RNNCell(input, hidden, nonLinearity, dtype: dtype));
        ParameterTransfer.Copy(reference, ours);
        long[] batch = unbatched ? [] : [3];
        var x = randn([.. batch, input], dtype: dtype);
        var h = randn([.. batch, hidden], dtype: dtype);
        var probe = randn([.. batch, hidden], dtype: dtype);

        var (mine, mineGrads) = Run(stepOurs, ours, x, h, probe);
        var (theirs, theirGrads) = Run(stepReference, reference, x, h, probe);

        Assert.True(mine.allclose(theirs, rtol: 1e-12, atol: 1e-14), $"{kind}: h'");
        foreach (var (name, grad) in theirGrads)
            Assert.True(mineGrads[name].allclose(grad, rtol: 1e-12, atol: 1e-14), $"{kind}: grad {name}");
    }

    private static (nn.Module, Func<Tensor, Tensor, Tensor>, nn.Module, Func<Tensor, Tensor, Tensor>) Pair(
        nn.Module<Tensor, Tensor, Tensor> ours, nn.Module<Tensor, Tensor, Tensor> reference)
        => (ours, (x, h) => ours.call(x, h), reference, (x, h) => reference.call(x, h));

    private static (Tensor h, Dictionary<string, Tensor> grads) Run(Func<Tensor, Tensor, Tensor> step, nn.Module module, Tensor x, Tensor h,
        Tensor probe)
    {
        var x0 = x.clone().requires_grad_();
        var h0 = h.clone().requires_grad_();
        var hNext = step(x0, h0);
        (hNext * probe).sum().backward();
        var grads = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        grads["x"] = x0.grad!;
        grads["h"] = h0.grad!;
        return (hNext.detach(), grads);
    }
}
