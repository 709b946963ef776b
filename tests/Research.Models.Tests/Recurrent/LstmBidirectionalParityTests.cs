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
        var readable = new Lstm(4, 5, layers, batchFirst: batchFirst, dtype: ScalarType.Float64, variant: variant);
        var fast = new Lstm(4, 5, layers, batchFirst: batchFirst, dtype: ScalarType.Float64, variant: variant, implementation: LstmImplementation.Fast);
        var reference = LstmParity.ReferenceFor(readable, CPU, ScalarType.Float64);
        Assert.Equal(
            reference.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))),
            readable.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
        ParameterTransfer.Copy(reference, readable);
        ParameterTransfer.Copy(reference, fast);
        Assert.Equal(LstmImplementation.Fast, fast.EffectiveImplementation);

        var x = randn(batchFirst ? [3, 7, 4] : [7, 3, 4], dtype: ScalarType.Float64);
        (Tensor, Tensor)? state = withState
            ? (randn([2 * layers, 3, 5], dtype: ScalarType.Float64), randn([2 * layers, 3, 5], dtype: ScalarType.Float64))
            : null;
        var (output, _) = readable.call(x, state);
        Assert.Equal(batchFirst ? [3L, 7L, 10L] : [7L, 3L, 10L], output.shape);
        ParityCases.AssertPassed(LstmParity.Compare(readable, reference, x, state), $"readable bidirectional, {layers} layers");
        ParityCases.AssertPassed(LstmParity.Compare(fast, reference, x, state), $"fast bidirectional, {layers} layers");
    }

    [Fact]
    public void FastWithForgetBiasEqualsReadableAndUnsupportedVariantsRunReadable()
    {
        manual_seed(9);
        var variant = new LstmVariant { ForgetBias = 1.0 };
        var readable = new Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: variant);
        var fast = new Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: variant, implementation: LstmImplementation.Fast);
        ParameterTransfer.Copy(readable, fast);
        ParityCases.AssertPassed(LstmParity.Compare(fast, readable, randn([6, 2, 3], dtype: ScalarType.Float64), null), "forget bias");

        var peephole = new Lstm(3, 4, variant: new() { Peephole = true }, implementation: LstmImplementation.Fast);
        Assert.Equal(LstmImplementation.Fast, peephole.Implementation);
        Assert.Equal(LstmImplementation.Readable, peephole.EffectiveImplementation);
        Assert.Throws<ArgumentException>(() => LstmParity.ReferenceFor(peephole, CPU, ScalarType.Float32));
    }
}
