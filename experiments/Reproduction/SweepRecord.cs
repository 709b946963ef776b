using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Reproduction;

/// <summary>
/// One ranked setting of a recorded sweep: its label, how many seeds finished, the sweep's metric over them and, when the
/// sweep ranks by another metric than the protocol reports (validation vs test), the protocol's metric too.
/// </summary>
public sealed record SweepRecordRow(string Label, int N, int Trials, double? Mean, double? Std, double? Best, double? Worst,
    double? ReportedMean = null, double? ReportedStd = null);

/// <summary>
/// The spread over seeds of a sweep run on a reproduction protocol (its base config is one), kept in
/// docs/results/sweeps/NAME.json so docs/results.md can show it under the protocol's group without the sweep folder.
/// </summary>
public sealed record SweepRecord(
    string Name,
    string Group,
    string Command,
    string Metric,
    MetricDirection Mode,
    string Hardware,
    string FinishedUtc,
    string GitCommit,
    double WallSeconds,
    IReadOnlyList<SweepRecordRow> Rows,
    string? ReportedMetric = null)
{
    public const string Folder = "sweeps";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Date => FinishedUtc.Length >= 10 ? FinishedUtc[..10] : FinishedUtc;

    /// <summary>Ranks the sweep's settings from its trial folders (the aggregate's rules); the group is the base config's.</summary>
    public static SweepRecord FromSweep(SweepFolder folder, string command)
    {
        var sweep = folder.ReadSweepFile();
        var reference = ConfigLoader.LoadRun<ExperimentSettings>(folder.BaseConfig).Value.Reference;
        var trials = folder.Trials();
        var results = SweepAggregate.Collect(folder, trials, sweep.Metric);
        // Ranked on validation, say, but the protocol's number is a test metric: show both, never rank on the second.
        var reported = reference.Metric is { } metric && metric != sweep.Metric ? metric : null;
        var reportedBySetting = reported is null
            ? []
            : SweepAggregate.Rank(SweepAggregate.Collect(folder, trials, reported), sweep.Mode).ToDictionary(s => s.Setting);
        var finished = results.Where(r => r.State == TrialState.Finished).Select(r => folder.StatusOf(r.Trial).Summary!).ToList();
        if (finished.Count == 0)
            throw new Cli.UsageException($"{folder.Path}: no trial has finished yet; nothing to record");
        var rows = SweepAggregate.Rank(results, sweep.Mode)
            .Select(s => new SweepRecordRow(Label(s.Labels), s.N, s.Trials, s.Mean, s.Std, s.Best, s.Worst,
                reportedBySetting.GetValueOrDefault(s.Setting)?.Mean, reportedBySetting.GetValueOrDefault(s.Setting)?.Std))
            .ToList();
        return new SweepRecord(
            sweep.Name, reference.Group, command, sweep.Metric, sweep.Mode,
            ReproductionRecord.HardwareOf(finished[0]),
            finished.Select(s => s["finished_utc"]?.GetValue<string>() ?? "").Max(StringComparer.Ordinal) ?? "",
            finished[0]["git_commit"]?.GetValue<string>() ?? "unknown",
            results.Sum(r => r.WallSeconds ?? 0),
            rows,
            reported);
    }

    public static string PathFor(string resultsDir, string name) => Path.Combine(resultsDir, Folder, name + ".json");

    /// <summary>Every recorded sweep, by name.</summary>
    public static IReadOnlyList<SweepRecord> ReadAll(string resultsDir)
    {
        var dir = Path.Combine(resultsDir, Folder);
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(p => JsonSerializer.Deserialize<SweepRecord>(File.ReadAllText(p), Json)!)]
            : [];
    }

    /// <summary>Written through a temporary file, so a crash never leaves half a record.</summary>
    public void Write(string resultsDir)
    {
        var path = PathFor(resultsDir, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The record as a Markdown section: the ranked settings with mean ± sample std over seeds.</summary>
    public string Render()
    {
        var direction = Mode == MetricDirection.Lower ? "lower is better" : "higher is better";
        string[] header = ["rank", "setting", "seeds", $"{Metric} mean ± std", "best", "worst"];
        var table = new Reporting.MarkdownTable(ReportedMetric is null ? header : [.. header, $"{ReportedMetric} mean ± std"]);
        var rank = 0;
        foreach (var row in Rows)
        {
            string[] cells = [(++rank).ToString(CultureInfo.InvariantCulture), row.Label, $"{row.N}/{row.Trials}", MeanStd(row.Mean, row.Std),
                row.Best is { } best ? Number(best) : "—", row.Worst is { } worst ? Number(worst) : "—"];
            table.Add(ReportedMetric is null ? cells : [.. cells, MeanStd(row.ReportedMean, row.ReportedStd)]);
        }
        var ranking = ReportedMetric is null ? "" : $" {ReportedMetric} is shown beside the ranking metric, not used for it.";
        return $"\n### Over seeds: sweep `{Name}` ({Metric}, {direction})\n\n"
            + $"`{Command}`, {Hardware}, {Date}, {WallSeconds / 3600:F2} h of trials in all. Ranked by the mean over the finished seeds; "
            + $"± is the sample standard deviation (n − 1).{ranking}\n\n"
            + table;
    }

    /// <summary>A bundle's name or a key's value alone when one axis varies; key=value pairs when several do.</summary>
    private static string Label(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        labels.Count == 1 ? labels[0].Value : string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));

    private static string MeanStd(double? mean, double? std) =>
        mean is not { } m ? "—" : std is { } s ? $"{Number(m)} ± {Number(s)}" : Number(m);

    private static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
