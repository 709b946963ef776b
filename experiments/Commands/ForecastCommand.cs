using System.CommandLine;
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
public static class ForecastCommand
{
    private static readonly Argument<string> RunPath = TypedOptions.One("RUN", "a forecaster's run folder");
    private static readonly Option<string> Split = TypedOptions.Text("--split", "valid or test", "test");
    private static readonly Option<int?> Stride = TypedOptions.OptionalInt("--stride", "rows between forecast origins (default: the horizon, so forecasts tile the split)", min: 1);
    private static readonly Option<string?> Out = TypedOptions.Text("--out", "output folder (default RUN/forecasts)");

    public static Command Create() => Verb.Create("forecast", "rolling backtest of a forecaster run: predictions CSV, plot and metrics", Run,
        RunPath, Split, Stride, Out);

    private static int Run(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var run = RunFolder.Open(args.GetValue(RunPath)!);
        var split = args.GetValue(Split)!;
        var part = split switch
        {
            "test" => SplitPart.Test,
            "valid" => SplitPart.Validation,
            _ => throw new UsageException($"--split must be valid or test, got '{split}'"),
        };
        var settings = ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value;
        if (settings.Task != TaskKind.Forecast)
            throw new UsageException($"{run.Path} is a {settings.Task} run, not a forecaster");
        var data = settings.For<SeriesDataSettings, ForecasterSettings>().Data;
        var horizon = data.Horizon;
        var stride = args.GetValue(Stride) ?? horizon;
        if (!File.Exists(run.BestCheckpoint))
            throw new UsageException($"{run.Path} has no best checkpoint yet");

        // The checkpoint replaces every weight: the file the run started from (model.init_from) is not needed again.
        settings.Model.InitFrom = null;
        var built = ExperimentBuilder.Build(settings);
        var task = (ForecastTask)built.Task;
        Checkpoint.Load(run.BestCheckpoint, task.Model, optimizer: null);
        var outDir = args.GetValue(Out) ?? run.Combine("forecasts");
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
        stdout.WriteLine($"{points.Select(p => p.Origin).Distinct().Count()} forecasts of {horizon} steps every {stride} rows; metrics over every window (stride {data.Stride})");
        stdout.WriteLine($"predictions: {predictions}");
        if (File.Exists(plot))
            stdout.WriteLine($"plot:        {plot}");
        return 0;
    }
}
