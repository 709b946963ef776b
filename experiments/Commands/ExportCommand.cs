using System.CommandLine;
using System.Text.Json;
using Research.Data.TimeSeries;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Interop;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;

namespace Research.Experiments.Commands;

/// <summary>
/// `research export RUN --format pt|safetensors|onnx`: the model weights of a run's best checkpoint as a PyTorch
/// state_dict (.pt, for <c>torch.load</c>) or safetensors, in RUN/export/, with model.json beside them (the same for either format: the config it
/// was trained with, every tensor's name, shape and dtype, and a forecaster's scaler statistics). docs/interop.md.
/// </summary>
public static class ExportCommand
{
    private static readonly Argument<string> RunPath = TypedOptions.One("RUN", "a run folder");
    private static readonly Option<string> Format = TypedOptions.Text("--format", "pt (torch.save state_dict), safetensors or onnx", "pt");
    private static readonly Option<string?> Out = TypedOptions.Text("--out", "output folder (default RUN/export)");

    public static Command Create() => Verb.Create("export", "write a run's best weights as a PyTorch state_dict (.pt), safetensors or ONNX, with model.json", Run,
        RunPath, Format, Out);

    private static int Run(ParseResult args, CommandContext io)
    {
        var run = RunFolder.Open(args.GetValue(RunPath)!);
        var format = args.GetValue(Format) switch
        {
            "pt" => WeightFormat.Pt,
            "safetensors" => WeightFormat.Safetensors,
            "onnx" => (WeightFormat?)null,
            var other => throw new UsageException($"--format must be pt, safetensors or onnx, got '{other}'"),
        };
        if (!File.Exists(run.BestCheckpoint))
            throw new UsageException($"{run.Path} has no best checkpoint yet");
        var settings = ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value;
        // The checkpoint replaces every weight: the file the run started from (model.init_from) is not needed again.
        settings.Model.InitFrom = null;
        var built = ExperimentBuilder.Build(settings);
        var model = built.Task.Model;
        var meta = Checkpoint.Load(run.BestCheckpoint, model, optimizer: null);

        if (format is null && OnnxExport.Unsupported(model) is { } unsupported)
            throw new UsageException($"{run.Config}: {unsupported}");

        var outDir = Path.GetFullPath(args.GetValue(Out) ?? run.Combine("export"));
        Directory.CreateDirectory(outDir);
        var weights = Path.Combine(outDir, "model" + (format is { } f ? StateDictFile.Extension(f) : ".onnx"));
        if (format is { } weightFormat)
            StateDictFile.Write(weights, model, weightFormat);
        else
            OnnxExport.Write(weights, model, built.Task is ForecastTask task ? Scaling(task.Dataset) : null);

        var description = new Dictionary<string, object?>
        {
            ["task"] = SnakeCase.From(settings.Task.ToString()),
            ["model_class"] = model.GetType().Name,
            ["config"] = run.Config,
            ["checkpoint"] = run.BestCheckpoint,
            ["epoch"] = meta.Epoch,
            ["best_metric"] = meta.BestMetric,
            ["dtype"] = settings.Dtype,
            ["tensors"] = model.state_dict().Select(kv => new Dictionary<string, object>
            {
                ["name"] = kv.Key,
                ["shape"] = kv.Value.shape,
                ["dtype"] = kv.Value.dtype.ToString().ToLowerInvariant(),
            }).ToList(),
        };
        if (File.Exists(run.Vocabulary))
            description["vocabulary"] = run.Vocabulary;
        if (built.Task is ForecastTask forecaster)
        {
            description["scaler"] = Scaler(forecaster.Dataset);
            description["lookback"] = forecaster.Data.Lookback;
            description["horizon"] = forecaster.Data.Horizon;
        }
        var json = Path.Combine(outDir, "model.json");
        File.WriteAllText(json, JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));

        io.Out.WriteLine($"weights: {weights} ({model.state_dict().Count} tensors, epoch {meta.Epoch})");
        io.Out.WriteLine($"model:   {json}");
        return 0;
    }

    /// <summary>
    /// The scaler fitted on the training rows, which lives outside the module: scaled = (x − offset) / scale per column,
    /// and the input and target columns in the order the model reads and writes them.
    /// </summary>
    private static Dictionary<string, object?> Scaler(ForecastDataset dataset)
    {
        var scaler = dataset.Scaler;
        var result = new Dictionary<string, object?>
        {
            ["kind"] = scaler switch
            {
                null => "none",
                StandardScaler => "standard",
                MinMaxScaler => "min_max",
                _ => scaler.GetType().Name,
            },
            ["input_columns"] = dataset.InputColumns,
            ["target_columns"] = dataset.TargetColumns,
        };
        if (scaler is not null)
        {
            result["columns"] = scaler.Columns;
            result["offset"] = scaler.Columns.Select(c => scaler.InverseTransform(c, 0.0)).ToList();
            result["scale"] = scaler.Columns.Select(c => scaler.InverseTransform(c, 1.0) - scaler.InverseTransform(c, 0.0)).ToList();
        }
        return result;
    }

    /// <summary>The dataset scaler per input and target column, for the ONNX graph (identity for a column it leaves alone).</summary>
    private static OnnxColumnScaling? Scaling(ForecastDataset dataset)
    {
        if (dataset.Scaler is not { } scaler)
            return null;
        float Offset(string c) => scaler.Columns.Contains(c) ? (float)scaler.InverseTransform(c, 0.0) : 0f;
        float Scale(string c) => scaler.Columns.Contains(c) ? (float)(scaler.InverseTransform(c, 1.0) - scaler.InverseTransform(c, 0.0)) : 1f;
        return new([.. dataset.InputColumns.Select(Offset)], [.. dataset.InputColumns.Select(Scale)],
            [.. dataset.TargetColumns.Select(Offset)], [.. dataset.TargetColumns.Select(Scale)]);
    }
}
