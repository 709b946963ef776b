using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;

namespace Research.Experiments.Settings;

/// <summary>How a forecaster produces its horizon.</summary>
public enum ForecastStrategy
{
    /// <summary>One head emits every step of the horizon at once (MIMO).</summary>
    Direct,

    /// <summary>A one-step model rolled out over the horizon, feeding back its predictions.</summary>
    Autoregressive,
}

/// <summary>The network: recurrent stack, sizes, regularisation and initialisation.</summary>
public sealed class ModelSettings : IValidatedSettings
{
    /// <summary>lstm, gru, rnn_tanh or rnn_relu.</summary>
    public RecurrentCellKind Cell { get; set; } = RecurrentCellKind.Lstm;

    /// <summary>
    /// How the recurrence is computed: auto (the default; chosen when the model is built, printed at start and recorded
    /// in summary.json), readable (the cell under autograd, any variant), fast (LSTM: hand-derived BPTT in libtorch ops),
    /// kernel (LSTM: the same with the C# AVX2/FMA step kernel, float32 on the CPU) or torch (TorchSharp's nn.LSTM/GRU/RNN).
    /// </summary>
    public RecurrentBackendKind Backend { get; set; } = RecurrentBackendKind.Auto;

    /// <summary>
    /// The LSTM variant, one key each (Greff et al. 2017): peephole, coupled_input_forget (CIFG), no_forget_gate,
    /// no_input_gate, no_output_gate, no_input_activation, no_output_activation, forget_bias, projection_size (LSTMP),
    /// bidirectional, layer_norm. All off is the standard cell. Backend torch has only bidirectional and forget_bias.
    /// </summary>
    public LstmVariant Variant { get; set; } = new();

    /// <summary>Language models: embedding (learned, embedding_size features) or one_hot (char-rnn, Keras; embedding_size unused).</summary>
    public LanguageModelInput Input { get; set; } = LanguageModelInput.Embedding;

    [Range(1, 100_000)]
    public int EmbeddingSize { get; set; } = 200;

    [Range(1, 100_000)]
    public int HiddenSize { get; set; } = 200;

    [Range(1, 100)]
    public int Layers { get; set; } = 2;

    /// <summary>Dropout on every non-recurrent connection (embedding output, between layers, before the decoder).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Dropout { get; set; }

    /// <summary>The dropouts above use one mask per sequence, shared over time (variational dropout, Gal &amp; Ghahramani 2016).</summary>
    public bool LockedDropout { get; set; }

    /// <summary>Language models: drop whole words' embedding rows (AWD-LSTM's dropoute).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double EmbeddingDropout { get; set; }

    /// <summary>DropConnect on every hidden-to-hidden matrix, one mask per forward pass (AWD-LSTM's wdrop); not with backend torch.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double WeightDrop { get; set; }

    /// <summary>Share the embedding and decoder matrices (needs embedding_size = hidden_size).</summary>
    public bool Tied { get; set; }

    public LanguageModelInit Init { get; set; } = LanguageModelInit.UniformAll;

    /// <summary>a in U(−a, a).</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double InitRange { get; set; } = 0.1;

    public ForecastStrategy Strategy { get; set; } = ForecastStrategy.Direct;

    /// <summary>Forecasters: none, last (subtract each window's last value, NLinear) or rev_in (RevIN); see WindowScaler.</summary>
    public WindowNormalization WindowNorm { get; set; } = WindowNormalization.None;

    /// <summary>
    /// Start from the weights of a PyTorch state_dict (.pt, .pth) or safetensors file, e.g. one written by
    /// `research export` or by <c>torch.save(model.state_dict(), ...)</c>, after the model's own initialisation.
    /// Names map one to one (the LSTM uses nn.LSTM's); every tensor must be there with the model's shape (docs/interop.md).
    /// </summary>
    public string? InitFrom { get; set; }

    /// <summary>
    /// Renames init_from's tensors by prefix first: a YAML or JSON mapping of source prefix to ours, e.g. `lstm.: rnn.`
    /// (the longest matching prefix wins; docs/interop.md). Needs init_from.
    /// </summary>
    public string? InitMap { get; set; }

    /// <summary>What the recurrent stack runs: the cell, its backend and the regularisers inside it.</summary>
    public RecurrentStackOptions Recurrence() => new(Cell, Backend, LockedDropout, WeightDrop, Variant);

    public IEnumerable<ConfigProblem> Validate()
    {
        // Whether the file exists is checked when the model is built (ExperimentBuilder), not here: a finished run's
        // config must still load (generate, forecast, export, resume) after the file it started from is gone.
        if (InitFrom is not null && Interop.StateDictFile.FormatOf(InitFrom) is null)
            yield return new(nameof(InitFrom), $"must name a .pt, .pth or .safetensors file, got '{InitFrom}'");
        if (InitMap is not null && InitFrom is null)
            yield return new(nameof(InitMap), "renames the tensors of model.init_from, which is not set");
        if (InitMap is not null && !Interop.WeightNameMap.Extensions.Contains(Path.GetExtension(InitMap).ToLowerInvariant()))
            yield return new(nameof(InitMap), $"must name a .yaml, .yml or .json file, got '{InitMap}'");
        var outputSize = Recurrence().OutputSize(HiddenSize);
        if (Tied && EmbeddingSize != outputSize)
            yield return new(nameof(Tied), $"tied weights need embedding_size = {(Variant.ProjectionSize > 0 ? "variant.projection_size" : "hidden_size")}, got {EmbeddingSize} and {outputSize}");
        if (Input == LanguageModelInput.OneHot && Tied)
            yield return new(nameof(Tied), "one-hot input has no embedding matrix to tie to the decoder (model.input: one_hot)");
        if (Input == LanguageModelInput.OneHot && EmbeddingDropout > 0)
            yield return new(nameof(EmbeddingDropout), "one-hot input has no embedding rows to drop (model.input: one_hot)");
        // The rules the RecurrentStack constructor enforces, reported against the key before any data is loaded.
        foreach (var (option, reason) in Recurrence().Unsupported(HiddenSize, Layers, Dropout))
            yield return new(option, $"{reason} (model.backend {SnakeCase.From(Backend.ToString())}, model.cell {SnakeCase.From(Cell.ToString())})");
    }
}
