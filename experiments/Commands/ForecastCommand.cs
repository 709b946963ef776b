using System.Globalization;
using System.Text;
using System.Text.Json;
using Research.Data.TimeSeries;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Reporting;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Commands;

/// <summary>
/// `research forecast RUN`: a rolling backtest over the test split with the run's best checkpoint (Darts'
/// historical_forecasts with retrain=False): a forecast every --stride rows, each from the lookback window before it.
/// Writes the forecasts in original units to CSV, a plot of actual vs forecast, and the metrics of the split.
/// </summary>
public sealed class ForecastCommand : ICommand
{
    public string Name => "forecast";

    public string Summary => "rolling backtest of a forecaster run: predictions CSV, plot and metrics";

    public string Usage => "RUN [options]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("split", "valid or test", "test"),
        new("stride", "rows between forecast origins (default: the horizon, so forecasts tile the split)"),
        new("out", "output folder (default RUN/forecasts)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        var run = args.Positional.Count == 1 ? RunFolder.Open(args.Positional[0]) : throw new UsageException("give one run folder");
        var split = args.String("split");
        var part = split switch
        {
            "test" => SplitPart.Test,
            "valid" => SplitPart.Validation,
            _ => throw new UsageException($"--split must be valid or test, got '{split}'"),
        };
        var settings = ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value;
        if (settings.Task != TaskKind.Forecast)
            throw new UsageException($"{run.Path} is a {settings.Task} run, not a forecaster");
        var horizon = settings.Data.Horizon;
        var stride = args.OptionalString("stride") is null ? horizon : args.Int("stride", min: 1);
        if (!File.Exists(run.BestCheckpoint))
            throw new UsageException($"{run.Path} has no best checkpoint yet");

        // The checkpoint replaces every weight: the file the run started from (model.init_from) is not needed again.
        settings.Model.InitFrom = null;
        var built = ExperimentBuilder.Build(settings);
        var task = (ForecastTask)built.Task;
        Checkpoint.Load(run.BestCheckpoint, task.Model, optimizer: null);
        var outDir = args.OptionalString("out") ?? run.Combine("forecasts");
        Directory.CreateDirectory(outDir);

        var points = RollingBacktest.Run(task, part, horizon, stride, settings.Train.EvalBatchSize, built.Device, built.Dtype);
        var predictions = Path.Combine(outDir, $"{split}-predictions.csv");
        RollingBacktest.WriteCsv(predictions, points);
        var metrics = task.Evaluate(split);
        File.WriteAllText(Path.Combine(outDir, $"{split}-metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        var plot = Path.Combine(outDir, $"{split}-forecast.png");
        if (stride >= horizon && points.Count > 0)
            RollingBacktest.WritePlot(plot, points, $"{settings.Experiment}: {split} split, horizon {horizon}");

        var table = new MarkdownTable("metric", "value");
        foreach (var (name, value) in metrics)
            table.Add(name, value.ToString("G6", CultureInfo.InvariantCulture));
        stdout.Write(table);
        stdout.WriteLine($"{points.Select(p => p.Origin).Distinct().Count()} forecasts of {horizon} steps every {stride} rows; metrics over every window (stride {settings.Data.Stride})");
        stdout.WriteLine($"predictions: {predictions}");
        if (File.Exists(plot))
            stdout.WriteLine($"plot:        {plot}");
        return 0;
    }
}
