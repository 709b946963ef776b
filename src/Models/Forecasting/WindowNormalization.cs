namespace Research.Models.Forecasting;

/// <summary>How a <see cref="Forecaster"/> rescales each input window by its own statistics (see <see cref="WindowScaler"/>).</summary>
public enum WindowNormalization
{
    /// <summary>The window goes in as the data pipeline scaled it.</summary>
    None,

    /// <summary>
    /// Subtract each target channel's last observed value from the window and add it back to the forecast
    /// (NLinear, Zeng et al. 2023): the model forecasts changes from the present, robust to level shifts.
    /// </summary>
    Last,

    /// <summary>
    /// Reversible instance normalisation (RevIN, Kim et al. 2022): each target channel standardised by the window's mean and
    /// standard deviation, then a learnable per-channel affine map; the forecast goes back through both.
    /// </summary>
    RevIn,
}
