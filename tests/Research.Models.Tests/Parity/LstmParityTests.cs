using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Parity;

/// <summary>
/// The explicit Lstm against nn.LSTM over random shapes: outputs, h_n, c_n and the gradients of the input, h0, c0
/// and every parameter agree to 1e-10 relative in float64 and 1e-5 in float32, with weights copied both ways.
/// </summary>
public sealed class LstmParityTests
{
    public static TheoryData<int, int, bool, bool, string> Cases() => ParityCases.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNnLstmWithWeightsCopiedBothWays(int seq, int batch, bool batchFirst, bool withState, string dtype)
    {
        var c = ParityCases.Draw(seq, batch, batchFirst, withState, dtype, salt: 0);
        var ours = RecurrentStack.Lstm(c.Input, c.Hidden, c.Layers, batchFirst: batchFirst, dtype: c.Dtype, backend: RecurrentBackendKind.Readable);
        (Tensor, Tensor)? state = c.H0 is null ? null : (c.H0, randn(c.H0.shape, dtype: c.Dtype));
        ParityCases.AssertBothWays(ours, () => LstmParity.ReferenceFor(ours, CPU, c.Dtype),
            (o, reference) => LstmParity.Compare(o, reference, c.X, state), c.ToString());
    }

    [Fact]
    public void StateDictNamesAndShapesAreNnLstms()
    {
        var ours = RecurrentStack.Lstm(7, 5, numLayers: 3, backend: RecurrentBackendKind.Readable);
        var reference = nn.LSTM(7, 5, numLayers: 3);
        Assert.Equal(
            reference.state_dict().Select(kv => (kv.Key, string.Join("x", kv.Value.shape))),
            ours.state_dict().Select(kv => (kv.Key, string.Join("x", kv.Value.shape))));
        Assert.DoesNotContain(RecurrentStack.Lstm(7, 5, numLayers: 2, bias: false, backend: RecurrentBackendKind.Readable).named_parameters(), p => p.name.StartsWith("bias", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutBiasStillMatches()
    {
        manual_seed(5);
        var ours = RecurrentStack.Lstm(4, 6, 2, bias: false, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var reference = LstmParity.ReferenceFor(ours, CPU, ScalarType.Float64);
        ParameterTransfer.Copy(ours, reference);
        ParityCases.AssertPassed(LstmParity.Compare(ours, reference, randn([9, 3, 4], dtype: ScalarType.Float64), null), "no bias");
    }

    [Fact]
    public void UnbatchedInputEqualsBatchOfOne()
    {
        manual_seed(6);
        var lstm = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var x = randn([5, 3], dtype: ScalarType.Float64);
        var (unbatched, (h, c)) = lstm.call(x);
        var (batched, (hb, cb)) = lstm.call(x.unsqueeze(1));
        Assert.Equal([5L, 4L], unbatched.shape);
        Assert.Equal([2L, 4L], h.shape);
        Assert.True(unbatched.allclose(batched.squeeze(1), rtol: 0, atol: 0));
        Assert.True(c.allclose(cb.squeeze(1), rtol: 0, atol: 0));
    }

    [Fact]
    public void ModuleToDtypeKeepsForwardWorking()
    {
        // module.to(...) replaces Parameter objects; the Lstm must look them up, not cache stale handles.
        var lstm = RecurrentStack.Lstm(3, 4, backend: RecurrentBackendKind.Readable);
        lstm.to(ScalarType.Float64);
        var (output, _) = lstm.call(randn([2, 1, 3], dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, output.dtype);
    }

    [Fact]
    public void WrongShapesFailWithASentence()
    {
        var lstm = RecurrentStack.Lstm(3, 4, 2, backend: RecurrentBackendKind.Readable);
        var e = Assert.Throws<ArgumentException>(() => lstm.call(randn([5, 2, 7])));
        Assert.Contains("expected 3", e.Message, StringComparison.Ordinal);
        var s = Assert.Throws<ArgumentException>(() => lstm.call(randn([5, 2, 3]), (zeros(1, 2, 4), zeros(2, 2, 4))));
        Assert.Contains("h0", s.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrentStack.Lstm(3, 0, backend: RecurrentBackendKind.Readable));
    }

    [Fact]
    public void DropoutBetweenLayersActsInTrainingOnly()
    {
        manual_seed(8);
        var lstm = RecurrentStack.Lstm(3, 16, 2, dropout: 0.5, backend: RecurrentBackendKind.Readable);
        var x = randn([4, 2, 3]);
        lstm.eval();
        var (a, _) = lstm.call(x);
        var (b, _) = lstm.call(x);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        lstm.train();
        var (c, _) = lstm.call(x);
        Assert.False(a.allclose(c));
    }
}
