// 03 · Forecasting: airline passengers and ETTh1: notebooks/03-forecasting.ipynb as a .NET 10 file-based app. Generated from the notebook by
// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:
//   dotnet run notebooks/apps/03-forecasting.cs          (figures: runs/apps/03-forecasting/)
#:project ../../experiments/Research.Experiments.csproj
#:property PublishAot=false

using System.IO;
using Microsoft.Data.Analysis;
using Research.Data.TimeSeries;
using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Forecasting;
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

FileApp.Start("03-forecasting", () => Console.Out, () => Console.Error);

// Defaults for a run in VS Code or Jupyter. A headless run may override each one with $RESEARCH_NB_<name>
// (scripts/notebooks.sh sets small ones in CI). runsDir empty: runs/ under the repository.

int airlineEpochs = Notebook.Parameter("airlineEpochs", 60);
int ettSteps = Notebook.Parameter("ettSteps", 150);
int salesEpochs = Notebook.Parameter("salesEpochs", 40);
string runsDir = Notebook.Parameter("runsDir", "");

// Trains one config of configs/ in this process, then backtests its best checkpoint over the test split.
(RunResult result, IReadOnlyList<BacktestPoint> points) TrainAndBacktest(string config, params string[] overrides)
{
    var loaded = ConfigLoader.Load<ExperimentSettings>(Path.Combine(Notebook.RepositoryRoot, "configs", config), overrides);
    var result = ExperimentRunner.Train(loaded, Notebook.RunsDirectory(runsDir), $"notebooks/03-forecasting.ipynb ({config})", Notebook.Output);
    if (result.ExitCode != 0)
        throw new InvalidOperationException($"{config}: training failed with exit code {result.ExitCode}");
    var built = ExperimentBuilder.Build(loaded.Value);
    var task = (ForecastTask)built.Task;
    Checkpoint.Load(result.Run.BestCheckpoint, task.Model, optimizer: null);
    var horizon = task.Data.Horizon;
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

// ## Data of your own, in memory
//
// A `DataFrame` built in code (or read with Microsoft.Data.Analysis) goes straight into a forecaster: the settings a config would hold, then fit, predict and backtest, as in Darts. No file and no command line; the same settings in a YAML file train the same model with `research train`.

// Ten years of monthly sales with a yearly season, as a notebook would build them.
var months = Enumerable.Range(0, 120).Select(i => new DateTime(2010, 1, 1).AddMonths(i)).ToArray();
var sales = new DataFrame(
    new PrimitiveDataFrameColumn<DateTime>("month", months),
    new DoubleDataFrameColumn("sales", Enumerable.Range(0, 120).Select(i => 100 + i + (10 * Math.Sin(i * Math.PI / 6)))));

var salesSettings = ConfigLoader.LoadFromString<ExperimentSettings>("""
    experiment: sales
    task: forecast
    seed: 1
    data: {time_column: month, targets: [sales], split: counts, split_counts: [72, 24, 24], lookback: 12, horizon: 3, scaler: min_max}
    model: {hidden_size: 16, layers: 1, window_norm: rev_in}   # RevIN: the trend leaves the training range
    train: {epochs: 40, batch_size: 16, eval_batch_size: 64, optimizer: adam, lr: 0.01, log_every: 1000}
    """, [$"train.epochs={salesEpochs}"]).Value;
var experiment = ForecastExperiment.Create(salesSettings, sales, "sales"); // a notebook keeps it for later cells
var salesOutcome = experiment.Fit();

// Predict: the three months after the series ends.
var next = experiment.Predict();
var nextTable = new MarkdownTable("month", "forecast");
for (long r = 0; r < next.Rows.Count; r++)
    nextTable.Add(((DateTime)next.Columns["month"][r]!).ToString("yyyy-MM"), ((double)next.Columns["sales"][r]!).ToString("F1"));
display(nextTable);

// Backtest: forecasts of 3 months tiling the 24 test months, against what happened.
var tiles = experiment.Backtest();
var salesPlot = new Plot();
var tileMonths = Enumerable.Range(0, (int)tiles.Rows.Count).Select(r => ((DateTime)tiles.Columns["month"][r]!).ToOADate()).ToArray();
salesPlot.Add.Scatter(tileMonths, Enumerable.Range(0, (int)tiles.Rows.Count).Select(r => (double)tiles.Columns["actual"][r]!).ToArray()).LegendText = "actual";
var tileForecast = salesPlot.Add.Scatter(tileMonths, Enumerable.Range(0, (int)tiles.Rows.Count).Select(r => (double)tiles.Columns["forecast"][r]!).ToArray());
tileForecast.LegendText = "forecast";
tileForecast.LinePattern = LinePattern.Dashed;
salesPlot.Axes.DateTimeTicksBottom();
salesPlot.Title($"Sales from a DataFrame: test MAE {salesOutcome.Test["mae_original"]:F2} after {salesOutcome.EpochsRun} epochs");
salesPlot.ShowLegend();
display(salesPlot);
