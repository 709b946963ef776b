using static TorchSharp.torch;

namespace Research.Models.Tests;

/// <summary>
/// Copies of a tensor's <c>.grad</c> with the wrapper that <c>.grad</c> returns held until the copy is made. Why: a
/// temporary read only for its handle (<c>x.grad!.clone()</c> outside a dispose scope) can be finalised while libtorch
/// still reads it; a CI run crashed so in THSTensor_clone inside <c>FiniteDifferences</c> (2026-12-07).
/// </summary>
internal static class HeldGradients
{
    /// <summary>A copy of <paramref name="tensor"/>'s gradient; throws where it has none.</summary>
    public static Tensor GradCopy(this Tensor tensor) =>
        tensor.GradCopyOrNull() ?? throw new InvalidOperationException("the tensor has no gradient");

    /// <summary>A copy of <paramref name="tensor"/>'s gradient, or null where it has none.</summary>
    public static Tensor? GradCopyOrNull(this Tensor tensor)
    {
        using var grad = tensor.grad;
        return grad?.clone();
    }
}
