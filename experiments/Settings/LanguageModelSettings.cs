using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
using Research.Models.Language;

namespace Research.Experiments.Settings;

/// <summary>model.* of the language_model task: the recurrent core plus how tokens go in and out.</summary>
public sealed class LanguageModelSettings : ModelSettings
{
    private const double DefaultInitRange = 0.1;

    /// <summary>embedding (learned, embedding_size features) or one_hot (char-rnn, Keras; embedding_size unused).</summary>
    public LanguageModelInput Input { get; set; } = LanguageModelInput.Embedding;

    [Range(1, 100_000)]
    public int EmbeddingSize { get; set; } = 200;

    /// <summary>Drop whole words' embedding rows (AWD-LSTM's dropoute).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double EmbeddingDropout { get; set; }

    /// <summary>Share the embedding and decoder matrices (needs embedding_size = hidden_size).</summary>
    public bool Tied { get; set; }

    /// <summary>uniform_all (Zaremba), pytorch_examples, or keras (Glorot / orthogonal, Keras 3's defaults).</summary>
    public LanguageModelInit Init { get; set; } = LanguageModelInit.UniformAll;

    /// <summary>a in U(−a, a) of uniform_all and pytorch_examples; keras takes its bounds from the shapes.</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double InitRange { get; set; } = DefaultInitRange;

    /// <summary>
    /// The decoder's products in bfloat16 through oneDNN (a CPU with AVX512_BF16 or AMX-BF16, or CUDA), weights and
    /// logits in the model's dtype: faster PTB-sized decoders at bfloat16's precision (docs/bench-lm.md).
    /// </summary>
    public bool DecoderBfloat16 { get; set; }

    /// <summary>
    /// The first LSTM layer's input product once per distinct token of a batch instead of per position, where nothing
    /// sits between the embedding and the core (docs/step-kernel.md, "The first input product per distinct token").
    /// </summary>
    public bool ProjectDistinctTokens { get; set; } = true;

    protected override bool PredictsNextSteps => true;

    public override IEnumerable<ConfigProblem> Validate()
    {
        foreach (var problem in base.Validate())
            yield return problem;
        var outputSize = Recurrence().OutputSize(HiddenSize);
        if (Tied && EmbeddingSize != outputSize)
            yield return new(nameof(Tied), $"tied weights need embedding_size = {(Variant.ProjectionSize > 0 ? "variant.projection_size" : "hidden_size")}, got {EmbeddingSize} and {outputSize}");
        if (Input == LanguageModelInput.OneHot && Tied)
            yield return new(nameof(Tied), "one-hot input has no embedding matrix to tie to the decoder (model.input: one_hot)");
        if (Input == LanguageModelInput.OneHot && EmbeddingDropout > 0)
            yield return new(nameof(EmbeddingDropout), "one-hot input has no embedding rows to drop (model.input: one_hot)");
        if (Init == LanguageModelInit.Keras && InitRange != DefaultInitRange)
            yield return new(nameof(InitRange), $"does not apply to model.init keras (its bounds come from the weights' shapes), got {InitRange}");
    }
}
