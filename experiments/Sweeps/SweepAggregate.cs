using System.Globalization;
using System.Text;
using Research.Experiments.Reporting;
using Research.Experiments.Settings;

namespace Research.Experiments.Sweeps;

/// <summary>One trial as the aggregate sees it: its manifest entry, its state and its metric (finished trials only).</summary>
public sealed record TrialResult(SweepTrial Trial, TrialState State, double? Value, double? WallSeconds);

/// <summary>
/// One setting (all seeds of one grid point / random draw): the metric over its finished seeds. Std is the sample
/// standard deviation (n − 1 in the denominator), undefined for fewer than two values.
/// </summary>
public sealed record SettingResult(int Setting, IReadOnlyList<KeyValuePair<string, string>> Labels, int Trials, IReadOnlyList<double> Values, MetricDirection Mode)
{
    public int N => Values.Count;

    public double? Mean => N == 0 ? null : Values.Average();

    public double? Std => N < 2 ? null : Math.Sqrt(Values.Sum(v => (v - Mean!.Value) * (v - Mean!.Value)) / (N - 1));

    public double? Best => N == 0 ? null : Mode == MetricDirection.Lower ? Values.Min() : Values.Max();

    public double? Worst => N == 0 ? null : Mode == MetricDirection.Lower ? Values.Max() : Values.Min();
}

/// <summary>
/// The sweep's tables: aggregate.csv and aggregate.md (settings ranked by the mean metric in the mode's direction,
/// settings with no finished trial last) and trials.csv, each written atomically. Read only from the trial folders.
/// </summary>
public static class SweepAggregate
{
    public static IReadOnlyList<TrialResult> Collect(SweepFolder folder, IReadOnlyList<SweepTrial> trials, string metric) =>
        [.. trials.Select(t =>
        {
            var status = folder.StatusOf(t);
            var value = status.Metric(metric);
            return new TrialResult(t, status.State, value is { } v && double.IsFinite(v) ? v : null, status.WallSeconds);
        })];

    public static IReadOnlyList<SettingResult> Rank(IReadOnlyList<TrialResult> results, MetricDirection mode)
    {
        var settings = results.GroupBy(r => r.Trial.Setting)
            .Select(g => new SettingResult(g.Key, g.First().Trial.Labels, g.Count(), [.. g.Where(r => r.Value is not null).Select(r => r.Value!.Value)], mode));
        var sign = mode == MetricDirection.Lower ? 1 : -1;
        return [.. settings.OrderBy(s => s.N == 0).ThenBy(s => s.N == 0 ? 0 : sign * s.Mean!.Value).ThenBy(s => s.Setting)];
    }

    /// <summary>Writes the three tables and returns the Markdown.</summary>
    public static string Write(SweepFolder folder, SweepFile sweep, IReadOnlyList<TrialResult> results)
    {
        var ranked = Rank(results, sweep.Mode);
        var axes = results.Count == 0 ? [] : results[0].Trial.Labels.Select(l => l.Key).ToList();
        SweepFolder.WriteAtomically(folder.AggregateCsv, SettingsCsv(ranked, axes));
        SweepFolder.WriteAtomically(folder.TrialsCsv, TrialsCsv(results, axes));
        var markdown = Markdown(sweep, ranked, results, axes);
        SweepFolder.WriteAtomically(folder.AggregateMarkdown, markdown);
        return markdown;
    }

    public static string SettingsCsv(IReadOnlyList<SettingResult> ranked, IReadOnlyList<string> axes)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["rank", "setting", .. axes.Select(Csv), "n", "trials", "mean", "std", "best", "worst"]).Append('\n');
        var rank = 0;
        foreach (var s in ranked)
        {
            csv.AppendJoin(',', [(++rank).ToString(CultureInfo.InvariantCulture), s.Setting.ToString(CultureInfo.InvariantCulture),
                .. s.Labels.Select(l => Csv(l.Value)), s.N.ToString(CultureInfo.InvariantCulture), s.Trials.ToString(CultureInfo.InvariantCulture),
                Exact(s.Mean), Exact(s.Std), Exact(s.Best), Exact(s.Worst)]).Append('\n');
        }
        return csv.ToString();
    }

    public static string TrialsCsv(IReadOnlyList<TrialResult> results, IReadOnlyList<string> axes)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["trial", "setting", .. axes.Select(Csv), "seed", "state", "value", "wall_seconds"]).Append('\n');
        foreach (var r in results)
        {
            csv.AppendJoin(',', [r.Trial.FolderName, r.Trial.Setting.ToString(CultureInfo.InvariantCulture), .. r.Trial.Labels.Select(l => Csv(l.Value)),
                r.Trial.Seed.ToString(CultureInfo.InvariantCulture), TrialStatus.Label(r.State), Exact(r.Value), Exact(r.WallSeconds)]).Append('\n');
        }
        return csv.ToString();
    }

    private static string Markdown(SweepFile sweep, IReadOnlyList<SettingResult> ranked, IReadOnlyList<TrialResult> results, IReadOnlyList<string> axes)
    {
        var direction = sweep.Mode == MetricDirection.Lower ? "lower is better" : "higher is better";
        var md = new StringBuilder();
        md.Append($"# Sweep {sweep.Name}: {sweep.Metric} ({direction})\n\n");
        md.Append($"{results.Count} trials: {Counts(results)}. Settings are ranked by the mean over their finished seeds; ");
        md.Append("± is the sample standard deviation (n − 1), shown from two seeds on.\n\n");
        var settings = new MarkdownTable(["rank", .. axes, "n", $"{sweep.Metric} mean ± std", "best", "worst"]);
        var rank = 0;
        foreach (var s in ranked)
        {
            var meanStd = s.Mean is null ? "–" : s.Std is null ? Short(s.Mean) : $"{Short(s.Mean)} ± {Short(s.Std)}";
            settings.Add([(++rank).ToString(CultureInfo.InvariantCulture), .. s.Labels.Select(l => l.Value), $"{s.N}/{s.Trials}", meanStd, Short(s.Best), Short(s.Worst)]);
        }
        md.Append(settings).Append("\n## Trials\n\n");
        var trials = new MarkdownTable(["trial", .. axes, "seed", "state", sweep.Metric, "wall time"]);
        foreach (var r in results)
        {
            trials.Add([r.Trial.FolderName, .. r.Trial.Labels.Select(l => l.Value), r.Trial.Seed.ToString(CultureInfo.InvariantCulture),
                TrialStatus.Label(r.State), Short(r.Value), r.WallSeconds is { } w ? $"{w:F1} s" : "–"]);
        }
        md.Append(trials);
        return md.ToString();
    }

    /// <summary>`6 finished, 1 failed` over the states present.</summary>
    public static string Counts(IReadOnlyList<TrialResult> results) => string.Join(", ",
        results.GroupBy(r => r.State).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {TrialStatus.Label(g.Key)}"));

    private static string Exact(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Short(double? value) => value?.ToString("G5", CultureInfo.InvariantCulture) ?? "–";

    private static string Csv(string text) => text.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
