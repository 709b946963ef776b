namespace Research.Models.Recurrent;

/// <summary>
/// What a <see cref="RecurrentStack"/> runs, apart from its sizes: the cell, the backend and the regularisers that act
/// inside the recurrence. The one place its rules live: the stack's constructor throws on <see cref="Unsupported"/>,
/// and a config reports the same problems against its keys.
/// </summary>
/// <param name="Backend">How the recurrence is computed; <see cref="RecurrentBackendKind.Auto"/> chooses at construction (see <see cref="RecurrentBackend.Resolve"/>).</param>
/// <param name="LockedDropout">The stack's between-layer dropout uses one mask per sequence (Gal &amp; Ghahramani 2016) instead of one per element.</param>
/// <param name="WeightDrop">DropConnect on every W_hh, one mask per forward pass (AWD-LSTM's wdrop); 0 turns it off.</param>
/// <param name="Variant">The LSTM variant (peephole, CIFG, projection, ...); null is the standard cell. LSTM cell only.</param>
public sealed record RecurrentStackOptions(
    RecurrentCellKind Cell = RecurrentCellKind.Lstm,
    RecurrentBackendKind Backend = RecurrentBackendKind.Auto,
    bool LockedDropout = false,
    double WeightDrop = 0.0,
    LstmVariant? Variant = null)
{
    /// <summary>Never null once built: null means the standard cell, so equal options compare equal.</summary>
    public LstmVariant? Variant { get; init; } = Variant ?? LstmVariant.Standard;

    /// <summary><see cref="Variant"/>, or the standard cell.</summary>
    public LstmVariant LstmVariant => Variant ?? LstmVariant.Standard;

    /// <summary>Directions the stack runs (2 when bidirectional), which multiplies the output features and state layers.</summary>
    public int Directions => Cell == RecurrentCellKind.Lstm ? LstmVariant.Directions : 1;

    /// <summary>Features of h per direction: the LSTM's projection size, or the hidden size.</summary>
    public long StateSize(long hiddenSize) => Cell == RecurrentCellKind.Lstm && LstmVariant.ProjectionSize > 0 ? LstmVariant.ProjectionSize : hiddenSize;

    /// <summary>Features of the output at each step: directions × <see cref="StateSize"/>.</summary>
    public long OutputSize(long hiddenSize) => Directions * StateSize(hiddenSize);

    /// <summary>
    /// The options this combination cannot honour, each with the reason, for a stack of <paramref name="layers"/> layers
    /// of <paramref name="hiddenSize"/> units with between-layer <paramref name="dropout"/>. Named by property (nameof),
    /// so a config can point at its key. Device and dtype are checked when the backend is resolved.
    /// </summary>
    public IEnumerable<(string Option, string Reason)> Unsupported(long hiddenSize, long layers, double dropout, bool bias = true)
    {
        var torch = Backend == RecurrentBackendKind.Torch;
        if (WeightDrop > 0 && torch)
            yield return (nameof(WeightDrop), "not available with backend torch: TorchSharp's fused nn.LSTM/GRU/RNN cannot use a dropped W_hh (use another backend)");
        // A single layer, or no dropout, has no between-layer mask to lock.
        if (LockedDropout && layers > 1 && dropout > 0 && torch)
            yield return (nameof(LockedDropout), $"with {layers} layers and dropout needs a locked between-layer mask, which backend torch's fused stack cannot apply (use another backend)");
        if (RecurrentBackend.WhyNot(this) is { } why)
            yield return (nameof(Backend), why);
        var variant = LstmVariant;
        if (variant == LstmVariant.Standard)
            yield break;
        if (Cell != RecurrentCellKind.Lstm)
            yield return (nameof(Variant), $"is an LSTM option ({variant}); the {Cell} cell has none");
        if (variant.ProjectionSize >= hiddenSize)
            yield return ($"{nameof(Variant)}.{nameof(variant.ProjectionSize)}", $"must be smaller than the hidden size ({hiddenSize}), got {variant.ProjectionSize}");
        if (variant.ForgetBias != 0 && !bias)
            yield return ($"{nameof(Variant)}.{nameof(variant.ForgetBias)}", "needs the biases");
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
