using Research.Models.Forecasting;

namespace Research.Experiments.Settings;

/// <summary>How a forecaster produces its horizon.</summary>
public enum ForecastStrategy
{
    /// <summary>One head emits every step of the horizon at once (MIMO).</summary>
    Direct,

    /// <summary>A one-step model rolled out over the horizon, feeding back its predictions.</summary>
    Autoregressive,
}

/// <summary>model.* of the forecast task: the recurrent core plus how the horizon is produced and windows normalised.</summary>
public sealed class ForecasterSettings : ModelSettings
{
    public ForecastStrategy Strategy { get; set; } = ForecastStrategy.Direct;

    /// <summary>none, last (subtract each window's last value, NLinear) or rev_in (RevIN); see WindowScaler.</summary>
    public WindowNormalization WindowNorm { get; set; } = WindowNormalization.None;

    protected override bool PredictsNextSteps => Strategy == ForecastStrategy.Autoregressive;
}
