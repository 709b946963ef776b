using System.Globalization;
using System.Text;
using Research.Data.TimeSeries;
using Research.Experiments.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tasks;

/// <summary>One forecast value of a backtest, in original units.</summary>
public sealed record BacktestPoint(DateTime Origin, DateTime Time, int Step, string Target, double Actual, double Forecast);

/// <summary>
/// Darts' historical_forecasts with retrain=False: from every stride-th origin of a split, forecast the horizon from
/// the lookback window before it with the trained model. With stride = horizon the forecasts tile the split.
/// </summary>
public static class RollingBacktest
{
    public static IReadOnlyList<BacktestPoint> Run(ForecastTask task, SplitPart part, int horizon, int stride, int batchSize, Device device, ScalarType dtype)
    {
        var windows = task.Dataset.Windows(part, horizon, stride);
        var firstRow = task.Dataset.Split[part].WindowStart + task.Dataset.Split.Lookback;
        var targets = task.Dataset.TargetColumns;
        var stamps = task.OriginalFrame.Timestamps;
        var points = new List<BacktestPoint>();
        task.Model.eval();
        using (no_grad())
        {
            foreach (var batch in windows.Batches(batchSize))
            {
                using var scope = NewDisposeScope();
                using (batch)
                {
                    var forecast = task.ToOriginal(task.Forecast(batch.Inputs.to(dtype).to(device)));
                    var actual = task.ToOriginal(batch.Targets);
                    for (var n = 0; n < batch.Windows.Count; n++)
                    {
                        var origin = firstRow + (batch.Windows[n] * stride);
                        for (var h = 0; h < horizon; h++)
                        {
                            for (var t = 0; t < targets.Count; t++)
                                points.Add(new BacktestPoint(stamps[origin], stamps[origin + h], h + 1, targets[t], actual[n, h, t], forecast[n, h, t]));
                        }
                    }
                }
            }
        }
        task.Model.train();
        return points;
    }

    public static void WriteCsv(string path, IEnumerable<BacktestPoint> points)
    {
        var csv = new StringBuilder("origin,timestamp,step,target,actual,forecast\n");
        foreach (var p in points)
            csv.Append(CultureInfo.InvariantCulture, $"{p.Origin:yyyy-MM-dd HH:mm:ss},{p.Time:yyyy-MM-dd HH:mm:ss},{p.Step},{p.Target},{p.Actual:R},{p.Forecast:R}\n");
        File.WriteAllText(path, csv.ToString());
    }

    /// <summary>Actual vs forecast of the first target; meaningful when the forecasts tile the split (stride ≥ horizon).</summary>
    public static void WritePlot(string path, IReadOnlyList<BacktestPoint> points, string title)
    {
        var first = points.Where(p => p.Target == points[0].Target).ToList();
        ForecastPlot.Write(path, first.Select(p => p.Actual).ToList(), first.Select(p => p.Forecast).ToList(), first.Select(p => p.Time).ToList(), title, points[0].Target);
    }
}
