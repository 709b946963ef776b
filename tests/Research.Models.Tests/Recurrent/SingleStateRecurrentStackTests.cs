using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Layout, state and training-mode behaviour of GRU and RNN stacks (RecurrentStack with a single-state cell).</summary>
public sealed class SingleStateRecurrentStackTests
{
    internal static RecurrentStack Make(string kind, long input, long hidden, long layers, double dropout = 0,
        double weightDrop = 0, bool lockedDropout = false, ScalarType? dtype = null) => kind switch
        {
            "gru" => RecurrentStack.Gru(input, hidden, layers, dropout: dropout, weightDrop: weightDrop, lockedDropout: lockedDropout, dtype: dtype),
            "rnn" => RecurrentStack.Rnn(input, hidden, layers, dropout: dropout, weightDrop: weightDrop, lockedDropout: lockedDropout, dtype: dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "gru or rnn"),
        };

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void UnbatchedInputEqualsBatchOfOne(string kind)
    {
        manual_seed(6);
        var stack = Make(kind, 3, 4, 2, dtype: ScalarType.Float64);
        var x = randn([5, 3], dtype: ScalarType.Float64);
        var h0 = randn([2, 4], dtype: ScalarType.Float64);
        var (unbatched, h) = stack.call(x, new RecurrentState(h0, null));
        var (batched, hb) = stack.call(x.unsqueeze(1), new RecurrentState(h0.unsqueeze(1), null));
        Assert.Equal([5L, 4L], unbatched.shape);
        Assert.Equal([2L, 4L], h.H.shape);
        Assert.True(unbatched.allclose(batched.squeeze(1), rtol: 0, atol: 0));
        Assert.True(h.H.allclose(hb.H.squeeze(1), rtol: 0, atol: 0));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void ModuleToDtypeKeepsForwardWorking(string kind)
    {
        // module.to(...) replaces Parameter objects; the stack must look them up, not cache stale handles.
        var stack = Make(kind, 3, 4, 1);
        stack.to(ScalarType.Float64);
        var (output, _) = stack.call(randn([2, 1, 3], dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, output.dtype);
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void WrongShapesFailWithASentence(string kind)
    {
        var stack = Make(kind, 3, 4, 2);
        var e = Assert.Throws<ArgumentException>(() => stack.call(randn([5, 2, 7])));
        Assert.Contains("expected 3", e.Message, StringComparison.Ordinal);
        var s = Assert.Throws<ArgumentException>(() => stack.call(randn([5, 2, 3]), new RecurrentState(zeros(1, 2, 4), null)));
        Assert.Contains("h0", s.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(kind, 3, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(kind, 3, 4, 1, weightDrop: 1.0));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void DropoutAndWeightDropActInTrainingOnly(string kind)
    {
        manual_seed(8);
        var stack = Make(kind, 3, 16, 2, dropout: 0.5, weightDrop: 0.5);
        var x = randn([4, 2, 3]);
        stack.eval();
        var (a, _) = stack.call(x);
        var (b, _) = stack.call(x);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.Same(stack.Layer(0).WeightHh, stack.EffectiveWeights()[0].WeightHh);
        stack.train();
        var (c, _) = stack.call(x);
        Assert.False(a.allclose(c));
    }
}
