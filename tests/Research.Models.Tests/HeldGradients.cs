using static TorchSharp.torch;

namespace Research.Models.Tests;

/// <summary>
/// Copies of a tensor's <c>.grad</c>, and checks of it, with the wrappers that <c>.grad</c> returns held until they are done. Why: a
/// temporary read only for its handle (<c>x.grad!.clone()</c> outside a dispose scope) can be finalised while libtorch
/// still reads it; a CI run crashed so in THSTensor_clone inside <c>FiniteDifferences</c> (2026-12-07).
/// </summary>
internal static class HeldGradients
{
    /// <summary>A copy of <paramref name="tensor"/>'s gradient; throws where it has none.</summary>
    public static Tensor GradCopy(this Tensor tensor) =>
        tensor.GradCopyOrNull() ?? throw new InvalidOperationException("the tensor has no gradient");

    /// <summary>Runs <paramref name="checks"/> that read <c>.grad</c>s in a dispose scope, which holds every wrapper they make.</summary>
    public static void Hold(Action checks)
    {
        using var scope = NewDisposeScope();
        checks();
    }

    /// <summary>A copy of <paramref name="tensor"/>'s gradient, or null where it has none.</summary>
    public static Tensor? GradCopyOrNull(this Tensor tensor)
    {
        using var grad = tensor.grad;
        return grad?.clone();
    }
}
