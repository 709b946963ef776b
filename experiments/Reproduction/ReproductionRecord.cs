using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Experiments.Runs;

namespace Research.Experiments.Reproduction;

/// <summary>
/// What one reproduction run measured, kept in docs/results/NAME.json so the report can be regenerated without the
/// run folder (which holds checkpoints and stays out of the repository). Taken from the run's summary.json.
/// </summary>
public sealed record ReproductionRecord(
    string Name,
    string Config,
    string Metric,
    double Value,
    int Epochs,
    double WallSeconds,
    string FinishedUtc,
    string Command,
    string Hardware,
    string GitCommit,
    string RunFolder,
    string? Curve,
    IReadOnlyDictionary<string, double> Test,
    IReadOnlyDictionary<string, double> BestValid,
    double? MeasuredBaseline = null,
    int LibTorchRetries = 0,
    IReadOnlyDictionary<string, double>? CurveAtPublishedEpochs = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Date => FinishedUtc.Length >= 10 ? FinishedUtc[..10] : FinishedUtc;

    /// <summary>Reads a finished run's summary.json; the metric is looked up by its dotted path (test.perplexity).</summary>
    public static ReproductionRecord FromRun(ReproductionEntry entry, RunFolder run)
    {
        if (!File.Exists(run.Summary))
            throw new Cli.UsageException($"{run.Path} has no summary.json: the run has not finished");
        var summary = JsonNode.Parse(File.ReadAllText(run.Summary))!.AsObject();
        var status = summary["status"]?.GetValue<string>();
        if (status != "finished")
            throw new Cli.UsageException($"{run.Summary}: status is '{status}', not finished");
        var metric = entry.Reference.Metric!;
        var value = RunSummary.Metric(summary, metric)
            ?? throw new Cli.UsageException($"{run.Summary} has no metric '{metric}' (reference.metric of {entry.ConfigPath})");
        var hardware = HardwareOf(summary);
        return new ReproductionRecord(
            entry.Name, entry.ConfigPath.Replace('\\', '/'), metric, value,
            summary["epochs"]?.GetValue<int>() ?? 0,
            summary["wall_seconds"]?.GetValue<double>() ?? 0,
            summary["finished_utc"]?.GetValue<string>() ?? "",
            summary["command"]?.GetValue<string>() ?? "",
            hardware,
            summary["git_commit"]?.GetValue<string>() ?? "unknown",
            run.Id,
            Curve: null,
            Numbers(summary["test"]),
            Numbers(summary["best_valid"]),
            entry.Reference.BaselineMetric is { } baseline ? RunSummary.Metric(summary, baseline) : null,
            summary["libtorch_retries"]?.GetValue<int>() ?? 0,
            entry.Reference.PublishedCurve is { } published ? TrainLossAt(run.MetricsCsv, published.Keys) : null);
    }

    /// <summary>The run's epoch-mean training loss (train/loss in metrics.csv) at the given epochs that it reached.</summary>
    private static Dictionary<string, double> TrainLossAt(string metricsCsv, IEnumerable<string> epochs)
    {
        var wanted = epochs.ToHashSet(StringComparer.Ordinal);
        return Logging.MetricsCsvReader.Read(metricsCsv)
            .Where(m => m is { Split: "train", Name: "loss" } && wanted.Contains(m.Epoch.ToString(CultureInfo.InvariantCulture)))
            .GroupBy(m => m.Epoch.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
    }

    /// <summary>The machine a run's summary.json names, in one line: CPU, cores, device, TorchSharp version.</summary>
    public static string HardwareOf(JsonObject summary)
    {
        var machine = summary["machine"]?.AsObject();
        string M(string key) => machine?[key]?.ToString() ?? "?";
        return $"{M("cpu")}, {M("logical_cores")} cores, {M("device")}; TorchSharp {M("torch_sharp")}";
    }

    public static string PathFor(string resultsDir, string name) => Path.Combine(resultsDir, name + ".json");

    public static ReproductionRecord? TryRead(string resultsDir, string name)
    {
        var path = PathFor(resultsDir, name);
        return File.Exists(path) ? JsonSerializer.Deserialize<ReproductionRecord>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Written beside the other records through a temporary file, so a crash never leaves half a record.</summary>
    public void Write(string resultsDir)
    {
        var path = PathFor(resultsDir, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    private static Dictionary<string, double> Numbers(JsonNode? node) =>
        node is JsonObject o
            ? o.Where(kv => kv.Value is JsonValue v && v.TryGetValue<double>(out _))
                .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>(), StringComparer.Ordinal)
            : [];

    public string WallTime => WallSeconds switch
    {
        < 120 => WallSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s",
        < 7200 => (WallSeconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min",
        _ => (WallSeconds / 3600).ToString("F2", CultureInfo.InvariantCulture) + " h",
    };
}
