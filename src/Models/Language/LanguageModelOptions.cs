using Research.Models.Recurrent;

namespace Research.Models.Language;

/// <summary>How a language model's parameters start.</summary>
public enum LanguageModelInit
{
    /// <summary>Every parameter U(−a, a) (Zaremba et al. 2014); an LSTM forget bias then fills bias_ih's f block (char-rnn).</summary>
    UniformAll,

    /// <summary>Embedding and decoder U(−a, a), decoder bias 0, recurrent weights at their default U(±1/√H) (pytorch/examples).</summary>
    PytorchExamples,

    /// <summary>
    /// Keras 3's defaults for LSTM/GRU/SimpleRNN, Dense and Embedding (InitRange unused): every weight_ih Glorot uniform
    /// U(±√(6 / (in + G·H))), every weight_hh orthogonal (gain 1), recurrent biases 0 and then an LSTM's forget bias in
    /// bias_ih's f block (Keras's unit_forget_bias), the decoder Glorot uniform U(±√(6 / (its input size + V))) with bias 0,
    /// an embedding (tied or not) U(±0.05). Peepholes, projections and layer norm keep their construction-time values.
    /// </summary>
    Keras,
}

/// <summary>How a language model feeds tokens to its recurrent core.</summary>
public enum LanguageModelInput
{
    /// <summary>A learned embedding of EmbeddingSize features per token (Zaremba et al., pytorch/examples).</summary>
    Embedding,

    /// <summary>The token's one-hot vector straight into the first layer (char-rnn, Keras lstm_text_generation); EmbeddingSize is unused.</summary>
    OneHot,
}

/// <summary>The shape of a <see cref="LanguageModel"/>.</summary>
/// <param name="Dropout">On the embedded input, between recurrent layers and before the decoder (Zaremba et al.).</param>
/// <param name="EmbeddingDropout">Drops whole words' embedding rows (AWD-LSTM's dropoute); 0 turns it off.</param>
public sealed record LanguageModelOptions(
    long VocabularySize,
    long EmbeddingSize,
    long HiddenSize,
    long Layers,
    double Dropout = 0.0,
    bool TieWeights = false,
    LanguageModelInit Init = LanguageModelInit.UniformAll,
    double InitRange = 0.1,
    double EmbeddingDropout = 0.0)
{
    /// <summary>
    /// The cell, its backend and weight drop. Its LockedDropout locks all three dropouts of the model (one mask
    /// per sequence, shared over time: variational dropout), not only the between-layer one.
    /// </summary>
    public RecurrentStackOptions Recurrence { get; init; } = new();

    /// <summary>Embedding (the default) or one-hot input; one-hot has no embedding, so no tied weights or embedding dropout.</summary>
    public LanguageModelInput Input { get; init; } = LanguageModelInput.Embedding;

    /// <summary>
    /// The decoder's products in bfloat16 (oneDNN's AVX512_BF16 kernels on the CPU): the hidden states and the decoder
    /// matrix are rounded to bfloat16 for the product, which accumulates in float32; the bias, the logits and every
    /// parameter and gradient stay in the model's dtype. An opt-in for speed, at bfloat16's 8-bit mantissa.
    /// </summary>
    public bool DecoderInBFloat16 { get; init; }

    /// <summary>
    /// Where nothing sits between the embedding and the recurrent core (no dropout in training, or evaluation), hand the
    /// core each distinct token's embedding once (<see cref="IndexedSequence"/>): an LSTM stack run as one node then
    /// computes its first input product, and that product's gradients, per distinct token of the batch instead of per
    /// position. The same sums in another order; false runs the product per position, as before.
    /// </summary>
    public bool ProjectDistinctTokens { get; init; } = true;

    /// <summary>Features the recurrent core reads per step: the embedding size, or the vocabulary size for one-hot input.</summary>
    public long CoreInputSize => Input == LanguageModelInput.OneHot ? VocabularySize : EmbeddingSize;
}
