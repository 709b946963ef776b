namespace Research.Models.Recurrent;

/// <summary>
/// What a <see cref="RecurrentCore"/> runs, apart from its sizes: the cell, the implementation and the regularisers
/// that act inside the recurrence.
/// </summary>
/// <param name="Implementation">How the explicit LSTM computes (fast or readable); the other cells have one implementation and ignore it.</param>
/// <param name="LockedDropout">The stack's between-layer dropout uses one mask per sequence (Gal &amp; Ghahramani 2016) instead of one per element.</param>
/// <param name="WeightDrop">DropConnect on every W_hh, one mask per forward pass (AWD-LSTM's wdrop); 0 turns it off.</param>
/// <param name="Variant">The LSTM variant (peephole, CIFG, projection, ...); null is the standard cell. LSTM cell only.</param>
/// <param name="StepKernel">The fast explicit LSTM runs its step loops in <see cref="LstmStepKernel"/> where that applies (the default).</param>
public sealed record RecurrentCoreOptions(
    RecurrentCellKind Cell = RecurrentCellKind.Lstm,
    RecurrentCoreKind Core = RecurrentCoreKind.Lstm,
    LstmImplementation Implementation = LstmImplementation.Fast,
    bool LockedDropout = false,
    double WeightDrop = 0.0,
    LstmVariant? Variant = null,
    bool StepKernel = true)
{
    /// <summary>Never null once built: null means the standard cell, so equal options compare equal.</summary>
    public LstmVariant? Variant { get; init; } = Variant ?? LstmVariant.Standard;

    /// <summary><see cref="Variant"/>, or the standard cell.</summary>
    public LstmVariant LstmVariant => Variant ?? LstmVariant.Standard;

    /// <summary>Directions the core runs (2 when bidirectional), which multiplies the output features and state layers.</summary>
    public int Directions => Cell == RecurrentCellKind.Lstm ? LstmVariant.Directions : 1;

    /// <summary>Features of the output at each step: directions × (projection size, or the hidden size).</summary>
    public long OutputSize(long hiddenSize) => Directions * (Cell == RecurrentCellKind.Lstm && LstmVariant.ProjectionSize > 0 ? LstmVariant.ProjectionSize : hiddenSize);

    /// <summary>
    /// The options this combination cannot honour, each with the reason, for a stack of <paramref name="layers"/> with
    /// between-layer <paramref name="dropout"/>. Named by property (nameof), so a config can point at its key.
    /// </summary>
    public IEnumerable<(string Option, string Reason)> Unsupported(long layers, double dropout)
    {
        var torch = Core == RecurrentCoreKind.Torch;
        if (WeightDrop > 0 && torch)
            yield return (nameof(WeightDrop), "not available with the torch core: TorchSharp's fused nn.LSTM/GRU/RNN cannot use a dropped W_hh (use the explicit core)");
        // A single layer, or no dropout, has no between-layer mask to lock.
        if (LockedDropout && layers > 1 && dropout > 0 && torch)
            yield return (nameof(LockedDropout), $"with {layers} layers and dropout needs a locked between-layer mask, which the torch core's fused stack cannot apply (use the explicit core)");
        var variant = LstmVariant;
        if (variant == LstmVariant.Standard)
            yield break;
        if (Cell != RecurrentCellKind.Lstm)
            yield return (nameof(Variant), $"is an LSTM option ({variant}); the {Cell} cell has none");
        // nn.LSTM has bidirectional (and we add the forget bias after construction); every other variant changes the step.
        else if (torch && variant.ChangesStep)
            yield return (nameof(Variant), $"{variant} changes the LSTM step, which TorchSharp's fused nn.LSTM cannot (use the explicit core)");
        string? invalid = null;
        try
        {
            variant.Validate();
        }
        catch (ArgumentException e)
        {
            invalid = e.Message;
        }
        if (invalid is not null)
            yield return (nameof(Variant), invalid);
    }
}
