using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Tests.Parity;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// Bidirectional Lstm (readable and fast) against nn.LSTM(bidirectional: true) in float64 after copying weights:
/// outputs, h_n, c_n and every gradient to 1e-10 relative. TorchSharp's nn.LSTM has no proj_size, so the projection
/// is checked against the equations (<see cref="LstmVariantWorkedExampleTests"/>) and nn.LSTM's layout instead.
/// </summary>
public sealed class LstmBidirectionalParityTests
{
    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, true, false)]
    [InlineData(3, true, true)]
    public void MatchesNnLstmBidirectional(int layers, bool withState, bool batchFirst)
    {
        manual_seed(40 + layers);
        var variant = new LstmVariant { Bidirectional = true };
        var readable = RecurrentStack.Lstm(4, 5, layers, batchFirst: batchFirst, dtype: ScalarType.Float64, variant: variant, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(4, 5, layers, batchFirst: batchFirst, dtype: ScalarType.Float64, variant: variant, backend: RecurrentBackendKind.Fast);
        var reference = LstmParity.ReferenceFor(readable, CPU, ScalarType.Float64);
        Assert.Equal(
            reference.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))),
            readable.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
        ParameterTransfer.Copy(reference, readable);
        ParameterTransfer.Copy(reference, fast);
        Assert.Equal(RecurrentBackendKind.Fast, fast.Backend.Kind);

        var x = randn(batchFirst ? [3, 7, 4] : [7, 3, 4], dtype: ScalarType.Float64);
        RecurrentState? state = withState
            ? (randn([2 * layers, 3, 5], dtype: ScalarType.Float64), randn([2 * layers, 3, 5], dtype: ScalarType.Float64))
            : null;
        var (output, _) = readable.call(x, state);
        Assert.Equal(batchFirst ? [3L, 7L, 10L] : [7L, 3L, 10L], output.shape);
        ParityCases.AssertPassed(LstmParity.Compare(readable, reference, x, state), $"readable bidirectional, {layers} layers");
        ParityCases.AssertPassed(LstmParity.Compare(fast, reference, x, state), $"fast bidirectional, {layers} layers");
    }

    [Fact]
    public void FastWithForgetBiasEqualsReadableAndAutoRunsStepChangingVariantsReadable()
    {
        manual_seed(9);
        var variant = new LstmVariant { ForgetBias = 1.0 };
        var readable = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: variant, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: variant, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        ParityCases.AssertPassed(LstmParity.Compare(fast, readable, randn([6, 2, 3], dtype: ScalarType.Float64), null), "forget bias");

        var peephole = RecurrentStack.Lstm(3, 4, variant: new() { Peephole = true });
        Assert.Equal(RecurrentBackendKind.Readable, peephole.Backend.Kind);
        Assert.Throws<ArgumentException>(() => RecurrentStack.Lstm(3, 4, variant: new() { Peephole = true }, backend: RecurrentBackendKind.Fast));
        Assert.Throws<ArgumentException>(() => LstmParity.ReferenceFor(peephole, CPU, ScalarType.Float32));
    }
}
