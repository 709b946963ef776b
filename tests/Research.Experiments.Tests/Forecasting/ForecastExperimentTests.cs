using Microsoft.Data.Analysis;
using Research.Data.TimeSeries;
using Research.Experiments.Config;
using Research.Experiments.Forecasting;
using Research.Experiments.Settings;

namespace Research.Experiments.Tests.Forecasting;

/// <summary>
/// What a notebook or C# script does with data in memory, without the CLI: a DataFrame built in code becomes a series,
/// the settings a config would hold build a forecaster, then fit, predict and backtest, with exact shapes and metrics.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class ForecastExperimentTests
{
    private const string Yaml = """
        experiment: notebook
        task: forecast
        seed: 5
        data:
          time_column: month
          targets: [sales]
          covariates: [price]
          split: counts
          split_counts: [72, 24, 24]
          lookback: 12
          horizon: 3
          scaler: min_max
        model: {hidden_size: 8, layers: 1}
        train: {epochs: 3, batch_size: 16, eval_batch_size: 64, optimizer: adam, lr: 0.01, log_every: 1000}
        """;

    /// <summary>Ten years of monthly sales with a yearly season and a price covariate, as a notebook would build them.</summary>
    private static DataFrame Sales()
    {
        var months = Enumerable.Range(0, 120).Select(i => new DateTime(2010, 1, 1).AddMonths(i)).ToArray();
        return new DataFrame(
            new PrimitiveDataFrameColumn<DateTime>("month", months),
            new DoubleDataFrameColumn("sales", Enumerable.Range(0, 120).Select(i => 100 + i + (10 * Math.Sin(i * Math.PI / 6)))),
            new DoubleDataFrameColumn("price", Enumerable.Range(0, 120).Select(i => 5 + (i % 12 * 0.1))));
    }

    [Fact]
    public void A_DataFrame_is_fitted_predicted_and_backtested_without_the_command_line()
    {
        var settings = ConfigLoader.LoadFromString<ExperimentSettings>(Yaml).Value;
        using var experiment = ForecastExperiment.Create(settings, Sales(), "sales");
        var outcome = experiment.Fit();
        Assert.Equal(3, outcome.EpochsRun);
        Assert.Equal(outcome.Test["mse"], experiment.Evaluate("test")["mse"]); // the best checkpoint stays loaded
        Assert.Contains(experiment.History, r => r is { Split: "valid", Name: "mse", Epoch: 3 });

        // Predict: the 3 months after the series ends, a time column and one column per target.
        var forecast = experiment.Predict();
        Assert.Equal(["month", "sales"], forecast.Columns.Select(c => c.Name));
        Assert.Equal(3L, forecast.Rows.Count);
        Assert.Equal([new DateTime(2020, 1, 1), new DateTime(2020, 2, 1), new DateTime(2020, 3, 1)], Enumerable.Range(0, 3).Select(r => (DateTime)forecast.Columns["month"][r]!));
        Assert.All(Enumerable.Range(0, 3), r => Assert.True(double.IsFinite((double)forecast.Columns["sales"][r]!)));

        // Backtest tiling the 24 test months: 8 forecasts of 3 steps.
        var tiles = experiment.Backtest();
        Assert.Equal(["origin", "month", "step", "target", "actual", "forecast"], tiles.Columns.Select(c => c.Name));
        Assert.Equal(24L, tiles.Rows.Count);
        Assert.Equal(new DateTime(2018, 1, 1), tiles.Columns["origin"][0]);
        Assert.Equal(new DateTime(2019, 12, 1), tiles.Columns["month"][23]);
        Assert.Equal(100 + 96 + (10 * Math.Sin(96 * Math.PI / 6)), (double)tiles.Columns["actual"][0]!, 4);

        // Every window (stride 1: 24 + 12 - 12 - 3 + 1 = 22 forecasts of 3 steps) gives exactly the metrics training reports.
        var every = experiment.Backtest(SplitPart.Test, stride: 1);
        Assert.Equal(66L, every.Rows.Count);
        var errors = Enumerable.Range(0, 66).Select(r => (double)every.Columns["forecast"][r]! - (double)every.Columns["actual"][r]!).ToArray();
        var test = experiment.Evaluate("test");
        Assert.Equal(errors.Select(e => e * e).Average(), test["mse_original"], 1e-9);
        Assert.Equal(errors.Select(Math.Abs).Average(), test["mae_original"], 1e-9);
    }

    [Fact]
    public void The_same_settings_and_data_train_to_the_same_numbers()
    {
        var settings = ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, ["train.epochs=2"]).Value;
        double[] Run()
        {
            using var experiment = ForecastExperiment.Create(settings, Sales());
            var outcome = experiment.Fit();
            return [outcome.Test["mse"], outcome.BestValid["mse"], (double)experiment.Predict().Columns["sales"][2]!];
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A_csv_file_is_read_with_the_settings_options()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("research-notebook-").FullName, "sales.csv");
        try
        {
            var frame = Sales();
            File.WriteAllLines(path, ["month,sales,price", .. Enumerable.Range(0, 120).Select(r =>
                FormattableString.Invariant($"{(DateTime)frame.Columns["month"][r]!:yyyy-MM},{frame.Columns["sales"][r]},{frame.Columns["price"][r]}"))]);
            var settings = ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, ["train.epochs=1", "train.max_steps=1"]).Value;
            using var experiment = ForecastExperiment.FromFile(settings, path);
            Assert.Equal(120, experiment.Task.OriginalFrame.RowCount);
            Assert.Equal(path, experiment.Task.OriginalFrame.Source);
            experiment.Fit();
            Assert.Equal(3L, experiment.Predict().Rows.Count);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
