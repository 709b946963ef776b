using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>
/// Scalars held by static fields for the life of the process, and tensor addition through them. A TorchSharp
/// <see cref="Scalar"/> is freed by its finaliser; one made implicitly (<c>a + b</c> passes alpha = 1 that way) is
/// unreachable while libtorch still reads it. A static field keeps these reachable, so no finaliser can run on them.
/// </summary>
public static class HeldScalars
{
    /// <summary>The integer 1, as TorchSharp's own <c>add(Tensor)</c> passes it (so results stay bit-identical).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b, the same operation as <c>a + b</c> with its alpha held alive.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}
