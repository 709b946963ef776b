using Research.Models.Recurrent;
using Research.Models.Regularisation;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// Embedding → dropout → recurrent stack (dropout between layers) → dropout → linear decoder, as in Zaremba et al. 2014
/// and pytorch/examples word_language_model (the two place dropout identically: on every non-recurrent connection).
/// <code>
///   tokens [T, B] int64 ──embed──▶ [T, B, E] ──LSTM/GRU/RNN──▶ [T, B, H] ──decode──▶ logits [T, B, V]
/// </code>
/// With tied weights (Press &amp; Wolf 2017, Inan et al. 2017) the decoder reuses the embedding matrix, so E must equal H.
/// With one-hot input (char-rnn, Keras lstm_text_generation) there is no embedding: the core reads [T, B, V] one-hot
/// vectors (W_ih · one_hot(t) is column t of W_ih: an embedding of size V with the identity matrix, minus its parameters).
/// AWD-LSTM's regularisers are options: locked (variational) dropout, embedding dropout and weight drop.
/// </summary>
public sealed class LanguageModel : nn.Module<Tensor, RecurrentState?, (Tensor logits, RecurrentState state)>
{
    // Keras Embedding's default initialiser, RandomUniform(−0.05, 0.05).
    private const double KerasEmbeddingRange = 0.05;

    private readonly Embedding? encoder;
    private readonly RecurrentStack rnn;
    private readonly Linear decoder;
    private readonly nn.Module<Tensor, Tensor> drop;

    public LanguageModel(LanguageModelOptions options, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LanguageModel))
    {
        var outputSize = options.Recurrence.OutputSize(options.HiddenSize);
        if (options.TieWeights && options.EmbeddingSize != outputSize)
            throw new ArgumentException($"tied weights need embedding size = the stack's output size (hidden or projection size), got {options.EmbeddingSize} and {outputSize}");
        var oneHot = options.Input == LanguageModelInput.OneHot;
        if (oneHot && (options.TieWeights || options.EmbeddingDropout > 0))
            throw new ArgumentException("one-hot input has no embedding to tie or drop rows of");
        Options = options;
        encoder = oneHot ? null : nn.Embedding(options.VocabularySize, options.EmbeddingSize, device: device, dtype: dtype);
        DropoutRate.Require(options.EmbeddingDropout, nameof(options.EmbeddingDropout));
        rnn = new RecurrentStack(options.Recurrence, options.CoreInputSize, options.HiddenSize, options.Layers, options.Dropout, device: device, dtype: dtype);
        decoder = nn.Linear(outputSize, options.VocabularySize, device: device, dtype: dtype);
        drop = options.Recurrence.LockedDropout ? new LockedDropout(options.Dropout) : nn.Dropout(options.Dropout);
        if (options.TieWeights)
            decoder.weight = encoder!.weight!;
        RegisterComponents();
        Initialise(options.Init, options.InitRange);
    }

    public LanguageModelOptions Options { get; }

    /// <summary>The recurrent stack, with the backend it resolved.</summary>
    public RecurrentStack Recurrence => rnn;

    public new (Tensor logits, RecurrentState state) call(Tensor tokens, RecurrentState? state = null) => base.call(tokens, state);

    public override (Tensor logits, RecurrentState state) forward(Tensor tokens, RecurrentState? state = null)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var (output, next) = EmbedsDistinctTokens
            ? rnn.forward(IndexedSequence.OfTokens(tokens, encoder!.call), state)
            : rnn.call(Embed(tokens), state);
        var hidden = drop.call(output);
        return (Options.DecoderInBFloat16 ? DecodeInBFloat16(hidden) : decoder.call(hidden), next);
    }

    // The casts are differentiable: the product's gradients come back through them to the parameters in their own dtype.
    private Tensor DecodeInBFloat16(Tensor hidden)
    {
        using var one = 1.ToScalar();
        var product = nn.functional.linear(hidden.to_type(ScalarType.BFloat16), decoder.weight!.to_type(ScalarType.BFloat16));
        return product.to_type(hidden.dtype).add_(decoder.bias!, one);
    }

    /// <summary>
    /// Whether a forward now hands the core each distinct token's embedding once (<see cref="IndexedSequence"/>):
    /// <see cref="LanguageModelOptions.ProjectDistinctTokens"/>, with nothing between the embedding and the core (no
    /// dropout in training, or evaluation), and a core that then computes its first input product per distinct token
    /// (<see cref="RecurrentStack.ProjectsDistinctRows"/>; any other core would only have the input written out again).
    /// </summary>
    public bool EmbedsDistinctTokens => Options.ProjectDistinctTokens && encoder is not null && rnn.ProjectsDistinctRows
        && (!training || (Options.Dropout == 0 && Options.EmbeddingDropout == 0));

    /// <summary>The core's input for tokens [T, B]: [T, B, E] embedded and dropped out, or [T, B, V] one-hot.</summary>
    private Tensor Embed(Tensor tokens)
    {
        // char-rnn drops out no input: zeroing a one-hot vector's only 1 would erase the character.
        if (encoder is null)
            return nn.functional.one_hot(tokens, Options.VocabularySize).to_type(decoder.weight!.dtype);
        // Embedding dropout needs the whole matrix (it drops rows); without it the plain lookup is the same maths.
        var looked = Options.EmbeddingDropout > 0
            ? EmbeddingDropout.Apply(encoder.weight!, tokens, Options.EmbeddingDropout, training)
            : encoder.call(tokens);
        return drop.call(looked);
    }

    /// <summary>Zero state for a batch, on the model's device and dtype.</summary>
    public RecurrentState InitialState(long batch) => rnn.InitialState(batch, decoder.weight!);

    private void Initialise(LanguageModelInit init, double range)
    {
        using var noGrad = no_grad();
        switch (init)
        {
            case LanguageModelInit.UniformAll:
                // Zaremba et al.: every parameter U(−a, a), biases included. That wipes the core's forget-bias shift, so a
                // configured forget bias is set again afterwards, as char-rnn does after its uniform init.
                foreach (var (_, p) in named_parameters())
                    nn.init.uniform_(p, -range, range);
                rnn.FillForgetBias();
                break;
            case LanguageModelInit.PytorchExamples:
                // pytorch/examples: encoder and decoder U(−0.1, 0.1), decoder bias 0, recurrent core at its default U(±1/√H).
                if (encoder is not null)
                    nn.init.uniform_(encoder.weight!, -range, range);
                if (!Options.TieWeights)
                    nn.init.uniform_(decoder.weight!, -range, range);
                nn.init.zeros_(decoder.bias!);
                break;
            case LanguageModelInit.Keras:
                InitialiseAsKeras();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init), init, "unknown initialisation");
        }
    }

    /// <summary>
    /// Keras 3's defaults, parameter by nn.LSTM name: Keras's kernel [in, G·H] is our weight_ih transposed, so Glorot's
    /// fan_in and fan_out are its columns and rows; its recurrent kernel [H, G·H] orthogonal is weight_hh [G·H, H] with
    /// orthonormal columns, the same distribution as orthogonal_ on [G·H, H]. Keras has one bias per layer, so both of ours
    /// start at zero and bias_ih alone carries the forget bias (their sum is what Keras's bias would be).
    /// </summary>
    private void InitialiseAsKeras()
    {
        foreach (var (name, p) in rnn.named_parameters())
        {
            if (name.StartsWith("weight_ih_l", StringComparison.Ordinal))
                GlorotUniform(p);
            else if (name.StartsWith("weight_hh_l", StringComparison.Ordinal))
                nn.init.orthogonal_(p);
            else if (name.StartsWith("bias_ih_l", StringComparison.Ordinal) || name.StartsWith("bias_hh_l", StringComparison.Ordinal))
                nn.init.zeros_(p);
        }
        rnn.FillForgetBias();
        // A tied matrix is the embedding's, so it follows the embedding's rule.
        if (encoder is not null)
            nn.init.uniform_(encoder.weight!, -KerasEmbeddingRange, KerasEmbeddingRange);
        if (!Options.TieWeights)
            GlorotUniform(decoder.weight!);
        nn.init.zeros_(decoder.bias!);
    }

    /// <summary>Glorot (Xavier) uniform on a PyTorch-layout weight [fan_out, fan_in]: U(±√(6 / (fan_in + fan_out))).</summary>
    private static void GlorotUniform(Tensor weight)
    {
        var limit = Math.Sqrt(6.0 / (weight.shape[0] + weight.shape[1]));
        nn.init.uniform_(weight, -limit, limit);
    }
}
