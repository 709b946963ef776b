using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>
/// Holds every tensor made while it is open, and frees none of them. A temporary (<c>sigmoid(a + b)</c>'s sum,
/// <c>x.narrow(…)</c> before <c>.unfold(…)</c>) is unreachable once its handle is read, so without a holder the finaliser
/// can free it while libtorch still reads it: a GRU step so run outside any dispose scope segfaults within 20,000 calls
/// under <see cref="GcStress"/>. On <see cref="Dispose"/> the tensors go to the caller's scope, so they live exactly as
/// long as they would without this one (custom autograd functions keep some for backward); with no scope around the
/// call (a notebook cell) they go back to the finaliser, as before, once nothing reads them any more. Every module's
/// forward opens one, and so does the building of an experiment's data and model.
/// </summary>
public readonly struct KeepAliveScope : IDisposable
{
    private readonly DisposeScope scope;

    private KeepAliveScope(DisposeScope scope) => this.scope = scope;

    /// <summary>Opens the hold: <c>using var hold = KeepAliveScope.Open();</c> first thing in a forward.</summary>
    public static KeepAliveScope Open() => new(NewDisposeScope());

    public void Dispose()
    {
        scope.MoveToOuter(scope.DisposablesView);
        scope.Dispose();
    }
}
