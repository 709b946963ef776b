using Research.Data.TimeSeries;
using Research.Experiments.Metrics;
using Research.Experiments.Tasks;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Tasks;

/// <summary>
/// The rolling backtest (Darts' historical_forecasts, retrain=False) on ForecastTaskTests' series and constant model:
/// test rows 15 … 19 hold 20 22 24 26 28 and every forecast is 24.
/// </summary>
public sealed class RollingBacktestTests
{
    private static IReadOnlyList<BacktestPoint> Backtest(int horizon, int stride) =>
        RollingBacktest.Run(ForecastTaskTests.ConstantTask(), SplitPart.Test, horizon, stride, batchSize: 3, CPU, ScalarType.Float64);

    private static DateTime Day(int row) => ForecastTaskTests.Start.AddDays(row);

    [Fact]
    public void EveryOriginForecastsTheHorizonAfterIt()
    {
        var points = Backtest(horizon: 2, stride: 1);
        // Origins are the first forecast rows 15, 16, 17, 18 (each window's lookback is the two rows before).
        Assert.Equal([Day(15), Day(16), Day(17), Day(18)], points.Select(p => p.Origin).Distinct());
        Assert.Equal(
            [(15, 1, 20.0), (16, 2, 22.0), (16, 1, 22.0), (17, 2, 24.0), (17, 1, 24.0), (18, 2, 26.0), (18, 1, 26.0), (19, 2, 28.0)],
            points.Select(p => (Row: (int)(p.Time - ForecastTaskTests.Start).TotalDays, p.Step, p.Actual)));
        Assert.All(points, p => Assert.Equal(("y", ForecastTaskTests.Forecast), (p.Target, p.Forecast)));
    }

    [Fact]
    public void StrideSkipsOriginsAndStrideEqualToHorizonTilesTheSplit()
    {
        Assert.Equal([Day(15), Day(17)], Backtest(horizon: 2, stride: 2).Select(p => p.Origin).Distinct());
        Assert.Equal([Day(15), Day(18)], Backtest(horizon: 1, stride: 3).Select(p => p.Origin).Distinct());
        // Horizon 1, stride 1: one forecast for each test row, in order.
        Assert.Equal(Enumerable.Range(15, 5).Select(Day), Backtest(horizon: 1, stride: 1).Select(p => p.Time));
    }

    [Fact]
    public void MetricsPerOriginAndOverAllOriginsMatchTheHandWorkedValues()
    {
        var points = Backtest(horizon: 2, stride: 1);
        // MAE per origin: |20−24|,|22−24| → 3; |22−24|,|24−24| → 1; then 1; then |26−24|,|28−24| → 3.
        Assert.Equal([3.0, 1.0, 1.0, 3.0], points.GroupBy(p => p.Origin).Select(g => g.Average(p => Math.Abs(p.Actual - p.Forecast))));
        // Over all origins the backtest is what the task's test evaluation reports (stride 1, every window).
        var all = new ForecastMetrics();
        all.Add([.. points.Select(p => (float)p.Actual)], [.. points.Select(p => (float)p.Forecast)]);
        var evaluated = ForecastTaskTests.ConstantTask().Evaluate("test");
        Assert.Equal(2.0, all.Mae, 12);
        Assert.Equal(evaluated["mae_original"], all.Mae, 12);
        Assert.Equal(evaluated["mse_original"], all.Mse, 12);
    }

    [Fact]
    public void TheCsvHoldsOneRowPerForecastValue()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backtest-{Guid.NewGuid():N}.csv");
        try
        {
            RollingBacktest.WriteCsv(path, Backtest(horizon: 2, stride: 2));
            Assert.Equal(
            [
                "origin,timestamp,step,target,actual,forecast",
                "2020-01-16 00:00:00,2020-01-16 00:00:00,1,y,20,24",
                "2020-01-16 00:00:00,2020-01-17 00:00:00,2,y,22,24",
                "2020-01-18 00:00:00,2020-01-18 00:00:00,1,y,24,24",
                "2020-01-18 00:00:00,2020-01-19 00:00:00,2,y,26,24",
            ], File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
