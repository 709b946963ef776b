using Microsoft.Data.Analysis;
using Research.Data.TimeSeries;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Sources;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Forecasting;

/// <summary>
/// A forecaster for notebooks and C# scripts, in the fit / predict / backtest shape of Darts: built from settings
/// (the same keys as a config file, checked the same way) and a series in memory (a DataFrame, a CSV file read with
/// the settings' data.* options, or a <see cref="TimeSeriesFrame"/>), trained by the trainer `research train` uses.
/// No run folder is made: checkpoints go to a temporary folder removed on <see cref="Dispose"/>, metrics to
/// <see cref="History"/>.
/// </summary>
public sealed class ForecastExperiment : IDisposable
{
    private readonly BuiltExperiment _built;
    private readonly string _resolvedYaml;
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("research-forecast-").FullName;
    private readonly MetricHistory _history = new();

    private ForecastExperiment(LoadedConfig<ExperimentSettings> loaded, TimeSeriesFrame series)
    {
        Settings = loaded.Value;
        _resolvedYaml = loaded.ResolvedYaml;
        _built = ExperimentBuilder.Build(Settings, series);
        Task = (ForecastTask)_built.Task;
    }

    /// <summary>The settings as checked (every default filled in).</summary>
    public ExperimentSettings Settings { get; }

    public ForecastTask Task { get; }

    /// <summary>Every metric the trainer wrote (train/loss, valid/mse, ...), in order.</summary>
    public IReadOnlyList<MetricRecord> History => _history.Records;

    /// <summary>A forecaster on <paramref name="series"/>; the settings' task must be forecast.</summary>
    public static ForecastExperiment Create(ExperimentSettings settings, TimeSeriesFrame series)
    {
        // Through the config loader, so a settings object made in code meets the same checks as a file.
        var checkedSettings = ConfigLoader.LoadFromString<ExperimentSettings>(ResolvedYamlWriter.Write(settings), sourceName: "settings");
        return new ForecastExperiment(checkedSettings, series);
    }

    /// <summary>A forecaster on a DataFrame, read with the settings' time_column, targets, time_format, fill_missing, ...</summary>
    public static ForecastExperiment Create(ExperimentSettings settings, DataFrame frame, string name = "DataFrame") =>
        Create(settings, DataFrameSeries.ToSeries(frame, SeriesLoader.Options(settings.For<SeriesDataSettings, ForecasterSettings>().Data), name));

    /// <summary>A forecaster on a CSV (.tsv, .txt) file, read with the settings' data.* options, as `research train` would.</summary>
    public static ForecastExperiment FromFile(ExperimentSettings settings, string path) =>
        Create(settings, TimeSeriesCsv.Load(path, SeriesLoader.Options(settings.For<SeriesDataSettings, ForecasterSettings>().Data, path)));

    /// <summary>Trains with the settings' train.* keys; the best validation checkpoint is loaded and tested at the end.</summary>
    /// <param name="log">Where progress lines go (none when null).</param>
    public TrainingOutcome Fit(TextWriter? log = null)
    {
        using var progress = new PlainProgressReporter(log ?? TextWriter.Null, ConsoleProgress.DefaultPlainInterval);
        var paths = new CheckpointPaths(Path.Combine(_checkpoints, "last.ckpt"), Path.Combine(_checkpoints, "best.ckpt"));
        return new Trainer(Task, Settings.Train, _history, progress, paths, _resolvedYaml).Fit();
    }

    /// <summary>
    /// The forecast of the data.horizon steps after the series ends, from its last data.lookback rows, in original
    /// units: a time column and one column per target.
    /// </summary>
    public DataFrame Predict()
    {
        var frame = Task.Dataset.Frame;
        var lookback = Task.Data.Lookback;
        if (frame.RowCount < lookback)
            throw new InvalidOperationException($"the series has {frame.RowCount} rows, fewer than the lookback {lookback}");
        var window = frame.Rows(frame.RowCount - lookback, lookback).Values;
        var inputs = new float[window.Length];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = (float)window[i];
        double[,,] forecast;
        Task.Model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var batch = tensor(inputs, [1, lookback, frame.ColumnCount]).to(_built.Dtype).to(_built.Device);
            forecast = Task.ToOriginal(Task.Forecast(batch));
        }
        Task.Model.train();
        var original = Task.OriginalFrame;
        var step = TimeIndexAnalysis.Analyze(original).Frequency;
        var horizon = forecast.GetLength(1);
        var times = Enumerable.Range(1, horizon).Select(h => step.Advance(original.Timestamps[^1], h)).ToArray();
        var columns = new List<DataFrameColumn> { new PrimitiveDataFrameColumn<DateTime>(TimeColumnName, times) };
        var targets = Task.Dataset.TargetColumns;
        for (var t = 0; t < targets.Count; t++)
            columns.Add(new DoubleDataFrameColumn(targets[t], Enumerable.Range(0, horizon).Select(h => forecast[0, h, t])));
        return new DataFrame(columns);
    }

    /// <summary>
    /// Darts' historical_forecasts with retrain=False over a split: a forecast from every <paramref name="stride"/>-th
    /// origin (default: the horizon, so forecasts tile the split), one row per step and target with the actual value.
    /// </summary>
    public DataFrame Backtest(SplitPart part = SplitPart.Test, int? stride = null)
    {
        var horizon = Task.Data.Horizon;
        var points = RollingBacktest.Run(Task, part, horizon, stride ?? horizon, Settings.Train.EvalBatchSize, _built.Device, _built.Dtype);
        return new DataFrame(
            new PrimitiveDataFrameColumn<DateTime>("origin", points.Select(p => p.Origin)),
            new PrimitiveDataFrameColumn<DateTime>(TimeColumnName, points.Select(p => p.Time)),
            new Int32DataFrameColumn("step", points.Select(p => p.Step)),
            new StringDataFrameColumn("target", points.Select(p => p.Target)),
            new DoubleDataFrameColumn("actual", points.Select(p => p.Actual)),
            new DoubleDataFrameColumn("forecast", points.Select(p => p.Forecast)));
    }

    /// <summary>The metrics of a split (train, valid or test) with the current weights, as training reports them.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(string split = "test") => Task.Evaluate(split);

    public void Dispose()
    {
        Task.Model.Dispose();
        Directory.Delete(_checkpoints, recursive: true);
    }

    private string TimeColumnName => Task.Data.TimeColumn ?? "time";
}
