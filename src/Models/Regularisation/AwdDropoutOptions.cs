namespace Research.Models.Regularisation;

/// <summary>
/// The five dropout rates of AWD-LSTM (Merity et al. 2018), named after where they act; 0 turns one off. The argument
/// names of the reference code are in brackets, so a config can be read against the paper.
/// </summary>
/// <param name="Embedding">Whole words of the embedding matrix, <see cref="EmbeddingDropout"/> (dropoute).</param>
/// <param name="Input">The embedded input, <see cref="LockedDropout"/> (dropouti).</param>
/// <param name="Hidden">Between recurrent layers, locked: a stack's dropout with lockedDropout (dropouth).</param>
/// <param name="Output">The last layer's output, <see cref="LockedDropout"/> (dropout).</param>
/// <param name="Weight">Every W_hh, <see cref="DropConnect"/>: a stack's weightDrop (wdrop).</param>
public sealed record AwdDropoutOptions(
    double Embedding = 0.0,
    double Input = 0.0,
    double Hidden = 0.0,
    double Output = 0.0,
    double Weight = 0.0)
{
    /// <summary>Throws, naming the field, if any rate is outside [0, 1).</summary>
    public AwdDropoutOptions Validated()
    {
        DropoutRate.Require(Embedding, nameof(Embedding));
        DropoutRate.Require(Input, nameof(Input));
        DropoutRate.Require(Hidden, nameof(Hidden));
        DropoutRate.Require(Output, nameof(Output));
        DropoutRate.Require(Weight, nameof(Weight));
        return this;
    }
}
