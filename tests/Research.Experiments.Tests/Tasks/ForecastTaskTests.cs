using Research.Data.TimeSeries;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Tasks;

/// <summary>
/// ForecastTask's evaluation on a series and a model whose forecasts are known: every metric worked out by hand.
/// The series, one value a day from 2020-01-01, split 10 / 5 / 5 rows, lookback 2, horizon 2, no scaling:
/// <code>
///   rows   0 … 9   train       y = 0, 1, …, 9            (naive one-step errors: all 1)
///   rows  10 … 19  valid, test y = 10, 12, …, 28          (steps of 2)
///   test targets (rows 15 … 19): 20 22 24 26 28; windows (stride 1) forecast rows (15,16) (16,17) (17,18) (18,19)
/// </code>
/// The model always forecasts 24.
/// </summary>
public sealed class ForecastTaskTests
{
    internal const double Forecast = 24;

    internal static readonly DateTime Start = new(2020, 1, 1);

    internal static double Value(int row) => row < 10 ? row : 10 + (2 * (row - 10));

    internal static ForecastTask ConstantTask(ForecastStrategy strategy = ForecastStrategy.Direct, int season = 0)
    {
        var settings = new ExperimentSettings
        {
            Task = TaskKind.Forecast,
            Data = { Targets = ["y"], Split = SeriesSplit.Counts, SplitCounts = [10, 5, 5], Lookback = 2, Horizon = 2, Stride = 1, Scaler = ScalerKind.None, Season = season },
            Model = { HiddenSize = 2, Layers = 1, Strategy = strategy },
            Train = { BatchSize = 3, EvalBatchSize = 3 },
        };
        var times = Enumerable.Range(0, 20).Select(r => Start.AddDays(r)).ToArray();
        var frame = new TimeSeriesFrame("y.csv", times, ["y"], Enumerable.Range(0, 20).Select(Value).ToArray());
        var task = new ForecastTask(settings, frame, CPU, ScalarType.Float64);
        ConstantOutput.Set(task.Model, "head.bias", Enumerable.Repeat(Forecast, task.TrainHorizon).ToArray());
        return task;
    }

    [Theory]
    [InlineData(ForecastStrategy.Direct)]
    [InlineData(ForecastStrategy.Autoregressive)]
    public void TestMetricsOfAConstantForecastMatchTheHandWorkedValues(ForecastStrategy strategy)
    {
        var metrics = ConstantTask(strategy).Evaluate("test");
        // Actual 20 22 | 22 24 | 24 26 | 26 28 against 24: errors 4 2 | 2 0 | 0 2 | 2 4.
        Assert.Equal(48.0 / 8, metrics["mse_original"], 12);                // (16+4+4+0+0+4+4+16) / 8
        Assert.Equal(16.0 / 8, metrics["mae_original"], 12);                // (4+2+2+0+0+2+2+4) / 8
        Assert.Equal(Math.Sqrt(6), metrics["rmse_original"], 12);
        Assert.Equal(100.0 * ((4.0 / 20) + (2.0 / 22) + (2.0 / 22) + (2.0 / 26) + (2.0 / 26) + (4.0 / 28)) / 8, metrics["mape_original"], 10);
        Assert.Equal(200.0 * ((4.0 / 44) + (2.0 / 46) + (2.0 / 46) + (2.0 / 50) + (2.0 / 50) + (4.0 / 52)) / 8, metrics["smape_original"], 10);
        // MASE's scale is the naive one-step error on the training rows only (1), not the whole series' (28 / 19).
        Assert.Equal(2.0, metrics["mase_original"], 12);
        // Without a scaler the scaled metrics are the same numbers, and the loss is the MSE.
        Assert.Equal(metrics["mse_original"], metrics["mse"], 12);
        Assert.Equal(metrics["mse"], metrics["loss"], 12);
        Assert.DoesNotContain(metrics.Keys, k => k.StartsWith("seasonal_naive_", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidationWindowsReadTheirLookbackFromTheTrainingRows()
    {
        var metrics = ConstantTask().Evaluate("valid");
        // Valid targets rows 10 … 14: 10 12 14 16 18; windows (10,11) (11,12) (12,13) (13,14), the first reading rows 8, 9.
        // Errors against 24: 14 12 | 12 10 | 10 8 | 8 6.
        Assert.Equal(80.0 / 8, metrics["mae_original"], 12);
        Assert.Equal(((14.0 * 14) + (2 * 144) + (2 * 100) + (2 * 64) + 36) / 8, metrics["mse_original"], 12);
    }

    [Fact]
    public void SeasonalNaiveScoresTheSameTestWindows()
    {
        var metrics = ConstantTask(season: 2).Evaluate("test");
        // ŷ_{t+h} = y_{t+h−2}: each target is forecast by the value two rows (4 units) earlier, so every error is 4.
        Assert.Equal(16.0, metrics["seasonal_naive_mse_original"], 12);
        Assert.Equal(4.0, metrics["seasonal_naive_mae_original"], 12);
        Assert.Equal(4.0, metrics["seasonal_naive_mase_original"], 12);
        Assert.Equal(2.0, metrics["mae_original"], 12);                     // the model's own numbers are unchanged
        Assert.False(ConstantTask(season: 2).Evaluate("valid").ContainsKey("seasonal_naive_mse")); // test split only
    }
}
