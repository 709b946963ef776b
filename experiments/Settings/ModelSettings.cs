using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
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

/// <summary>The network: recurrent core, sizes, regularisation and initialisation.</summary>
public sealed class ModelSettings : IValidatedSettings
{
    /// <summary>lstm: the explicit gate-by-gate LSTM; torch: TorchSharp's nn.LSTM.</summary>
    public RecurrentCoreKind Core { get; set; } = RecurrentCoreKind.Lstm;

    /// <summary>For core lstm: fast (hand-derived BPTT, the training default) or readable (autograd through LstmCell.Step).</summary>
    public LstmImplementation Implementation { get; set; } = LstmImplementation.Fast;

    [Range(1, 100_000)]
    public int EmbeddingSize { get; set; } = 200;

    [Range(1, 100_000)]
    public int HiddenSize { get; set; } = 200;

    [Range(1, 100)]
    public int Layers { get; set; } = 2;

    /// <summary>Dropout on every non-recurrent connection (embedding output, between layers, before the decoder).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Dropout { get; set; }

    /// <summary>Share the embedding and decoder matrices (needs embedding_size = hidden_size).</summary>
    public bool Tied { get; set; }

    public LanguageModelInit Init { get; set; } = LanguageModelInit.UniformAll;

    /// <summary>a in U(−a, a).</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double InitRange { get; set; } = 0.1;

    public ForecastStrategy Strategy { get; set; } = ForecastStrategy.Direct;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Tied && EmbeddingSize != HiddenSize)
            yield return new(nameof(Tied), $"tied weights need embedding_size = hidden_size, got {EmbeddingSize} and {HiddenSize}");
    }
}
