namespace Research.Experiments.Metrics;

/// <summary>
/// Point-forecast errors over every forecast element (window × step × target), with y the actual and ŷ the forecast:
/// <code>
///   MSE   = mean (y − ŷ)²                      RMSE = √MSE
///   MAE   = mean |y − ŷ|
///   MAPE  = 100 · mean |y − ŷ| / |y|           over elements with y ≠ 0
///   sMAPE = 200 · mean |y − ŷ| / (|y| + |ŷ|)   over elements with |y| + |ŷ| ≠ 0 (Darts' definition, 0–200)
///   MASE  = MAE / mean_t |y_t − y_{t−1}|       the denominator: the one-step naive forecast's in-sample MAE on
///                                              the training rows of the same target columns (Hyndman &amp; Koehler 2006)
/// </code>
/// </summary>
public sealed class ForecastMetrics
{
    private double _squared;
    private double _absolute;
    private double _percentage;
    private long _percentageCount;
    private double _symmetric;
    private long _symmetricCount;
    private long _count;

    public void Add(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        if (actual.Length != forecast.Length)
            throw new ArgumentException($"{actual.Length} actual values but {forecast.Length} forecasts");
        for (var k = 0; k < actual.Length; k++)
        {
            double y = actual[k], f = forecast[k], e = Math.Abs(y - f);
            _squared += e * e;
            _absolute += e;
            _count++;
            if (y != 0)
            {
                _percentage += e / Math.Abs(y);
                _percentageCount++;
            }
            if (Math.Abs(y) + Math.Abs(f) != 0)
            {
                _symmetric += e / (Math.Abs(y) + Math.Abs(f));
                _symmetricCount++;
            }
        }
    }

    public double Mse => _squared / _count;

    public double Mae => _absolute / _count;

    /// <param name="naiveScale">The in-sample MAE of the naive forecast (see <see cref="NaiveScale"/>); NaN skips MASE.</param>
    public Dictionary<string, double> ToDictionary(string suffix = "", double naiveScale = double.NaN)
    {
        var metrics = new Dictionary<string, double>
        {
            [$"mse{suffix}"] = Mse,
            [$"mae{suffix}"] = Mae,
            [$"rmse{suffix}"] = Math.Sqrt(Mse),
            [$"mape{suffix}"] = _percentageCount == 0 ? double.NaN : 100 * _percentage / _percentageCount,
            [$"smape{suffix}"] = _symmetricCount == 0 ? double.NaN : 200 * _symmetric / _symmetricCount,
        };
        if (!double.IsNaN(naiveScale))
            metrics[$"mase{suffix}"] = Mae / naiveScale;
        return metrics;
    }

    /// <summary>Mean |y_t − y_{t−1}| over consecutive rows of each column (row-major values, <paramref name="columns"/> wide).</summary>
    public static double NaiveScale(ReadOnlySpan<double> rowMajor, int columns)
    {
        var (sum, count) = (0.0, 0L);
        for (var k = columns; k < rowMajor.Length; k++)
        {
            sum += Math.Abs(rowMajor[k] - rowMajor[k - columns]);
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
