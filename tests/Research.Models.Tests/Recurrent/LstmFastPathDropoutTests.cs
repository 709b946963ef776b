using Research.Models.Parity;
using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Dropout between layers in the fast Lstm: the same masks as the readable one from the same seed.</summary>
public sealed class LstmFastPathDropoutTests
{
    [Fact]
    public void DropoutBetweenLayersDrawsTheSameMasksAsReadable()
    {
        var readable = RecurrentStack.Lstm(3, 8, 3, dropout: 0.5, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(3, 8, 3, dropout: 0.5, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);
        manual_seed(3);
        var (a, _) = readable.call(x);
        manual_seed(3);
        var (b, _) = fast.call(x);
        Assert.True(b.allclose(a, rtol: 1e-10, atol: 1e-12));
        fast.eval();
        var (c, _) = fast.call(x);
        Assert.False(c.allclose(b));
    }
}
