namespace Research.Models.Recurrent;

/// <summary>
/// What a <see cref="RecurrentCore"/> runs, apart from its sizes: the cell, the implementation and the regularisers
/// that act inside the recurrence.
/// </summary>
/// <param name="Implementation">How the explicit LSTM computes (fast or readable); the other cells have one implementation and ignore it.</param>
/// <param name="LockedDropout">The stack's between-layer dropout uses one mask per sequence (Gal &amp; Ghahramani 2016) instead of one per element.</param>
/// <param name="WeightDrop">DropConnect on every W_hh, one mask per forward pass (AWD-LSTM's wdrop); 0 turns it off.</param>
public sealed record RecurrentCoreOptions(
    RecurrentCellKind Cell = RecurrentCellKind.Lstm,
    RecurrentCoreKind Core = RecurrentCoreKind.Lstm,
    LstmImplementation Implementation = LstmImplementation.Fast,
    bool LockedDropout = false,
    double WeightDrop = 0.0)
{
    /// <summary>
    /// The options this combination cannot honour, each with the reason, for a stack of <paramref name="layers"/> with
    /// between-layer <paramref name="dropout"/>. Named by property (nameof), so a config can point at its key.
    /// </summary>
    public IEnumerable<(string Option, string Reason)> Unsupported(long layers, double dropout)
    {
        var explicitSingleState = Core == RecurrentCoreKind.Lstm && Cell != RecurrentCellKind.Lstm;
        if (WeightDrop > 0 && Core == RecurrentCoreKind.Torch)
            yield return (nameof(WeightDrop), "not available with the torch core: TorchSharp's fused nn.LSTM/GRU/RNN cannot use a dropped W_hh (use the explicit core)");
        else if (WeightDrop > 0 && !explicitSingleState)
            yield return (nameof(WeightDrop), "not available for the LSTM cell yet (the explicit Lstm has no weight-drop hook); only the explicit GRU and RNN cells have it");
        // A single layer, or no dropout, has no between-layer mask to lock.
        if (LockedDropout && layers > 1 && dropout > 0 && !explicitSingleState)
            yield return (nameof(LockedDropout), $"with {layers} layers and dropout needs a locked between-layer mask, which only the explicit GRU and RNN stacks have yet (not the LSTM cell, not the torch core)");
    }
}
