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
public sealed class ModelSettings
{
    /// <summary>lstm: the explicit gate-by-gate LSTM; torch: TorchSharp's nn.LSTM.</summary>
    public RecurrentCoreKind Core { get; set; } = RecurrentCoreKind.Lstm;

    public int EmbeddingSize { get; set; } = 200;

    public int HiddenSize { get; set; } = 200;

    public int Layers { get; set; } = 2;

    /// <summary>Dropout on every non-recurrent connection (embedding output, between layers, before the decoder).</summary>
    public double Dropout { get; set; }

    /// <summary>Share the embedding and decoder matrices (needs embedding_size = hidden_size).</summary>
    public bool Tied { get; set; }

    public LanguageModelInit Init { get; set; } = LanguageModelInit.UniformAll;

    /// <summary>a in U(−a, a).</summary>
    public double InitRange { get; set; } = 0.1;

    public ForecastStrategy Strategy { get; set; } = ForecastStrategy.Direct;
}
