using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
using Research.Models.Recurrent;

namespace Research.Experiments.Settings;

/// <summary>
/// model.* of every task: the recurrent core, its sizes and regularisation. The language_model and forecast tasks bind
/// model.* to a subclass with their own keys (<see cref="ExperimentSettings.ModelType"/>).
/// </summary>
public class ModelSettings : IValidatedSettings
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

    [Range(1, 100_000)]
    public int HiddenSize { get; set; } = 200;

    [Range(1, 100)]
    public int Layers { get; set; } = 2;

    /// <summary>Dropout on every non-recurrent connection (embedding output, between layers, before the decoder).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Dropout { get; set; }

    /// <summary>The dropouts above use one mask per sequence, shared over time (variational dropout, Gal &amp; Ghahramani 2016).</summary>
    public bool LockedDropout { get; set; }

    /// <summary>DropConnect on every hidden-to-hidden matrix, one mask per forward pass (AWD-LSTM's wdrop); not with backend torch.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double WeightDrop { get; set; }

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

    /// <summary>Whether the model predicts the steps after its input (next-step tasks, roll-outs), which a reverse direction would read.</summary>
    protected virtual bool PredictsNextSteps => false;

    /// <summary>What the recurrent stack runs: the cell, its backend and the regularisers inside it.</summary>
    public RecurrentStackOptions Recurrence() => new(Cell, Backend, LockedDropout, WeightDrop, Variant);

    public virtual IEnumerable<ConfigProblem> Validate()
    {
        // Whether the file exists is checked when the model is built (ExperimentBuilder), not here: a finished run's
        // config must still load (generate, forecast, export, resume) after the file it started from is gone.
        if (InitFrom is not null && Interop.StateDictFile.FormatOf(InitFrom) is null)
            yield return new(nameof(InitFrom), $"must name a .pt, .pth or .safetensors file, got '{InitFrom}'");
        if (InitMap is not null && InitFrom is null)
            yield return new(nameof(InitMap), "renames the tensors of model.init_from, which is not set");
        if (InitMap is not null && !Interop.WeightNameMap.Extensions.Contains(Path.GetExtension(InitMap).ToLowerInvariant()))
            yield return new(nameof(InitMap), $"must name a .yaml, .yml or .json file, got '{InitMap}'");
        if (Variant.Bidirectional && PredictsNextSteps)
            yield return new("Variant.Bidirectional", "would let the model read the future steps it predicts; use it for direct forecasts and sequence readouts");
        // The rules the RecurrentStack constructor enforces, reported against the key before any data is loaded.
        foreach (var (option, reason) in Recurrence().Unsupported(HiddenSize, Layers, Dropout))
            yield return new(option, $"{reason} (model.backend {SnakeCase.From(Backend.ToString())}, model.cell {SnakeCase.From(Cell.ToString())})");
    }
}
