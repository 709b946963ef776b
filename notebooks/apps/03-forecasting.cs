// 03 · Forecasting: airline passengers and ETTh1: notebooks/03-forecasting.ipynb as a .NET 10 file-based app. Generated from the notebook by
// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:
//   dotnet run notebooks/apps/03-forecasting.cs          (figures: runs/apps/03-forecasting/)
#:project ../../experiments/Research.Experiments.csproj
#:property PublishAot=false

using System.IO;
using Research.Data.TimeSeries;
using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using ScottPlot;
using static Research.Experiments.Notebooks.FileApp;

// # 03 · Forecasting: airline passengers and ETTh1
//
// An LSTM forecaster per dataset, trained in this process with a small budget through the same runner as
// `research train`; a rolling backtest of its best checkpoint over the test split (forecast against actual), plotted in
// the same cell; and the test metrics beside the seasonal-naive forecast (`data.season`), the baseline any forecaster
// must beat.

FileApp.Start("03-forecasting");

// Defaults for a run in VS Code or Jupyter. A headless run may override each one with $RESEARCH_NB_<name>
// (scripts/notebooks.sh sets small ones in CI). runsDir empty: runs/ under the repository.

int airlineEpochs = Notebook.Parameter("airlineEpochs", 60);
int ettSteps = Notebook.Parameter("ettSteps", 150);
string runsDir = Notebook.Parameter("runsDir", "");

// Trains one config of configs/ in this process, then backtests its best checkpoint over the test split.
(RunResult result, IReadOnlyList<BacktestPoint> points) TrainAndBacktest(string config, params string[] overrides)
{
    var loaded = ConfigLoader.Load<ExperimentSettings>(Path.Combine(Notebook.RepositoryRoot, "configs", config), overrides);
    var result = ExperimentRunner.Train(loaded, Notebook.RunsDirectory(runsDir), $"notebooks/03-forecasting.ipynb ({config})", Notebook.Out);
    if (result.ExitCode != 0)
        throw new InvalidOperationException($"{config}: training failed with exit code {result.ExitCode}");
    var built = ExperimentBuilder.Build(loaded.Value);
    var task = (ForecastTask)built.Task;
    Checkpoint.Load(result.Run.BestCheckpoint, task.Model, optimizer: null);
    var horizon = loaded.Value.Data.Horizon;
    var points = RollingBacktest.Run(task, SplitPart.Test, horizon, horizon, loaded.Value.Train.EvalBatchSize, built.Device, built.Dtype);
    return (result, points);
}

Plot PlotForecast(IReadOnlyList<BacktestPoint> points, string title)
{
    var plot = new Plot();
    var xs = points.Select(p => p.Time.ToOADate()).ToArray();
    plot.Add.Scatter(xs, points.Select(p => p.Actual).ToArray()).LegendText = "actual";
    var forecast = plot.Add.Scatter(xs, points.Select(p => p.Forecast).ToArray());
    forecast.LegendText = "forecast";
    forecast.LinePattern = LinePattern.Dashed;
    plot.Axes.DateTimeTicksBottom();
    plot.Title(title);
    plot.ShowLegend();
    return plot;
}

// ## Airline passengers (monthly, 1949–1960): 12 months of history, 6 months ahead

var airline = TrainAndBacktest("airline.yaml", $"train.epochs={airlineEpochs}", "data.season=12", "train.log_every=1000");
display(PlotForecast(airline.points, "Airline passengers: test split, forecasts of 6 months"));

// ## ETTh1 (hourly oil temperature): 96 hours of history, 24 hours ahead

var ett = TrainAndBacktest("etth1.yaml", "train.epochs=1", $"train.max_steps={ettSteps}", "data.season=24", "train.log_every=1000");
display(PlotForecast(ett.points.Take(24 * 14).ToList(), "ETTh1: first two weeks of the test split, forecasts of 24 hours"));

// ## Test metrics against seasonal-naive
//
// Seasonal-naive repeats the last season of the lookback window (12 months; 24 hours). MSE and MAE on the scaled
// series; `ratio` < 1 means the LSTM beats the baseline.

var metricsTable = new MarkdownTable("dataset", "metric", "LSTM", "seasonal naive", "ratio");
foreach (var (name, r) in new[] { ("airline", airline.result), ("ETTh1", ett.result) })
{
    var test = r.Outcome!.Test;
    foreach (var metric in new[] { "mse", "mae", "mse_original", "mae_original" })
    {
        if (!test.TryGetValue(metric, out var ours) || !test.TryGetValue("seasonal_naive_" + metric, out var naive))
            continue;
        metricsTable.Add(name, metric, ours.ToString("G4"), naive.ToString("G4"), (ours / naive).ToString("F2"));
    }
}
display(metricsTable);
