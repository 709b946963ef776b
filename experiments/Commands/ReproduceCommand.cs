using System.CommandLine;
using System.Diagnostics;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Reporting;
using Research.Experiments.Reproduction;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Commands;

/// <summary>
/// `research reproduce NAME... | --all | --list | --report`: trains a reproduction config (configs/repro/NAME.yaml),
/// records the number it reached in docs/results/NAME.json with its learning curve, and regenerates docs/results.md.
/// `--from-run DIR` records a run already made with the same protocol (checked key by key) instead of training again;
/// `--from-sweep DIR` records every finished trial of a sweep that follows a reproduction's protocol, and the sweep's
/// spread over seeds beside them.
/// </summary>
public static class ReproduceCommand
{
    private static readonly Argument<string[]> Names = TypedOptions.Many("NAME", "reproductions to run (configs/repro/NAME.yaml)");
    private static readonly Option<bool> All = TypedOptions.Flag("--all", "run every reproduction, in name order (with --max-minutes: those whose estimate fits)");
    private static readonly Option<bool> Missing = TypedOptions.Flag("--missing", "with --all: only those with no recorded run");
    private static readonly Option<bool> ListOnly = TypedOptions.Flag("--list", "show every reproduction, its published value, ours and the verdict; run nothing");
    private static readonly Option<bool> ReportOnly = TypedOptions.Flag("--report", "regenerate docs/results.md from the records; run nothing");
    private static readonly Option<double?> MaxMinutes = TypedOptions.OptionalDouble("--max-minutes", "with --all: a time budget; a reproduction whose estimate no longer fits is skipped", min: 0);
    private static readonly Option<string?> DeviceName = TypedOptions.Text("--device", "cpu, cuda or cuda:N (overrides the configs' device)");
    private static readonly Option<int?> Threads = TypedOptions.OptionalInt("--threads", "libtorch threads (overrides the configs' threads)", min: 0);
    private static readonly Option<string?> FromRun = TypedOptions.Text("--from-run", "record this finished run folder of NAME instead of training");
    private static readonly Option<string?> FromSweep = TypedOptions.Text("--from-sweep", "record a sweep folder: each finished trial that follows a reproduction's protocol, and the mean ± std over seeds");
    private static readonly Option<string> Configs = TypedOptions.Text("--configs", "folder of reproduction configs", ReproductionCatalog.DefaultDirectory);
    private static readonly Option<string> Docs = TypedOptions.Text("--docs", "folder of results.md and results/ (the records and curves)", "docs");
    private static readonly Option<string> RunsDir = TypedOptions.Text("--runs-dir", "folder for the run folders", "runs/repro");

    public static Command Create() => Verb.Create("reproduce", "run published settings (configs/repro), compare with the paper and regenerate docs/results.md", Run,
        Names, All, Missing, ListOnly, ReportOnly, MaxMinutes, DeviceName, Threads, FromRun, FromSweep, Configs, Docs, RunsDir);

    private static int Run(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var names = args.GetValue(Names) ?? [];
        var configs = args.GetValue(Configs)!;
        var docs = args.GetValue(Docs)!;
        var overrides = new List<string>();
        if (args.GetValue(DeviceName) is { } device)
            overrides.Add($"device={device}");
        if (args.GetValue(Threads) is { } threads)
            overrides.Add($"threads={threads}");

        if (args.GetValue(ListOnly) || args.GetValue(ReportOnly))
        {
            var entries = ReproductionCatalog.Load(configs);
            var text = ResultsReport.Write(docs, entries);
            stdout.Write(args.GetValue(ListOnly) ? Listing(entries, docs) : text);
            stdout.WriteLine($"wrote {Path.Combine(docs, ResultsReport.FileName)}");
            return 0;
        }

        if (args.GetValue(FromSweep) is { } sweepPath)
        {
            if (names.Length > 0)
                throw new UsageException("--from-sweep finds the reproductions its trials follow: give no NAME");
            RecordSweep(SweepFolder.Open(sweepPath), ReproductionCatalog.Load(configs), docs, stdout);
            ResultsReport.Write(docs, ReproductionCatalog.Load(configs));
            return 0;
        }

        if (args.GetValue(FromRun) is { } runPath)
        {
            if (names.Length != 1)
                throw new UsageException("--from-run records one run: give the one NAME it reproduces");
            var entry = ReproductionCatalog.Find(configs, names[0]);
            var run = RunFolder.Open(runPath);
            RequireSameProtocol(entry, run);
            Record(entry, run, docs, stdout);
            ResultsReport.Write(docs, ReproductionCatalog.Load(configs));
            return 0;
        }

        List<ReproductionEntry> chosen;
        if (args.GetValue(All))
        {
            if (names.Length > 0)
                throw new UsageException("give NAMEs or --all, not both");
            chosen = ReproductionCatalog.Load(configs, overrides).ToList();
            if (args.GetValue(Missing))
                chosen = chosen.Where(e => ReproductionRecord.TryRead(RecordsDir(docs), e.Name) is null).ToList();
        }
        else if (names.Length > 0)
        {
            chosen = names.Select(n => ReproductionCatalog.Find(configs, n, overrides)).ToList();
        }
        else
        {
            throw new UsageException("give a reproduction NAME, --all, --list or --report; research reproduce --list shows the names");
        }

        double? budget = args.GetValue(MaxMinutes);
        var clock = Stopwatch.StartNew();
        var failed = 0;
        foreach (var entry in chosen)
        {
            var left = budget - clock.Elapsed.TotalMinutes;
            var estimate = EstimatedMinutes(entry, docs);
            if (left is { } l && estimate is { } e && e > l)
            {
                stdout.WriteLine($"skipping {entry.Name}: estimated {e:F0} min, {l:F0} min of the budget left");
                continue;
            }
            stdout.WriteLine($"== reproducing {entry.Name} ({entry.ConfigPath})");
            var result = ExperimentRunner.Train(entry.Config, args.GetValue(RunsDir)!, CommandFor(entry, args), io);
            if (result.Outcome is null)
            {
                failed++;
                continue;
            }
            Record(entry, result.Run, docs, stdout);
            ResultsReport.Write(docs, ReproductionCatalog.Load(configs));
        }
        stdout.WriteLine($"wrote {Path.Combine(docs, ResultsReport.FileName)}");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The command that reproduces this one entry (also when it ran as part of --all).</summary>
    private static string CommandFor(ReproductionEntry entry, ParseResult args) =>
        $"research reproduce {entry.Name}"
        + (args.GetValue(DeviceName) is { } device ? $" --device {device}" : "")
        + (args.GetValue(Threads) is { } threads ? $" --threads {threads}" : "");

    private static string RecordsDir(string docs) => Path.Combine(docs, ResultsReport.RecordsFolder);

    /// <summary>
    /// Records each finished trial whose resolved config is a reproduction's protocol (the seed included, so one trial
    /// per protocol at most), credited to the sweep's command, then the sweep's ranked settings. A reproduction already
    /// recorded from elsewhere keeps its record.
    /// </summary>
    private static void RecordSweep(SweepFolder folder, IReadOnlyList<ReproductionEntry> entries, string docs, TextWriter stdout)
    {
        var command = SweepCommandOf(folder);
        var protocols = entries.ToLookup(e => Protocol(e.Config.Value), StringComparer.Ordinal);
        var matched = 0;
        foreach (var trial in folder.Trials())
        {
            if (folder.StatusOf(trial).State != TrialState.Finished)
                continue;
            var run = RunFolder.Open(folder.TrialPath(trial));
            foreach (var entry in protocols[Protocol(ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value)])
            {
                if (ReproductionRecord.TryRead(RecordsDir(docs), entry.Name) is { } kept && !kept.Command.StartsWith(command + " (trial", StringComparison.Ordinal))
                {
                    stdout.WriteLine($"{entry.Name}: keeps its record from `{kept.Command}` (trial {trial.FolderName} follows the same protocol)");
                    continue;
                }
                Record(entry, run, docs, stdout, $"{command} (trial {trial.FolderName})");
                matched++;
            }
        }
        var sweep = SweepRecord.FromSweep(folder, command);
        sweep.Write(RecordsDir(docs));
        stdout.WriteLine($"sweep {sweep.Name}: {matched} trial(s) recorded as reproductions; {sweep.Rows.Count} settings over seeds "
            + $"recorded in {SweepRecord.PathFor(RecordsDir(docs), sweep.Name)}");
    }

    /// <summary>`research sweep configs/sweeps/NAME.yaml` when that file is the one the folder was launched from, else the folder's copy.</summary>
    private static string SweepCommandOf(SweepFolder folder)
    {
        var launched = File.ReadAllText(folder.SweepFile);
        var name = folder.ReadSweepFile().Name;
        var source = Path.Combine("configs", "sweeps", name + ".yaml");
        return File.Exists(source) && File.ReadAllText(source) == launched
            ? $"research sweep {source.Replace('\\', '/')}"
            : $"research sweep {folder.SweepFile}";
    }

    /// <summary>Saves the run's record and its learning curve, and says where our number stands.</summary>
    private static void Record(ReproductionEntry entry, RunFolder run, string docs, TextWriter stdout, string? command = null)
    {
        var record = ReproductionRecord.FromRun(entry, run);
        if (command is not null)
            record = record with { Command = command };
        var curve = CurveOf(run, entry.Reference.Metric!);
        if (curve is not null)
        {
            var target = Path.Combine(RecordsDir(docs), entry.Name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(curve, target, overwrite: true);
            record = record with { Curve = entry.Name + ".png" };
        }
        record.Write(RecordsDir(docs));
        var verdict = ReproductionVerdict.Judge(entry.Reference, record.Value);
        stdout.WriteLine($"{entry.Name}: {record.Metric} {ReproductionVerdict.Number(record.Value)} "
            + $"{ReproductionVerdict.Difference(entry.Reference, record.Value)} -> {ReproductionVerdict.Label(verdict)}; "
            + $"recorded in {ReproductionRecord.PathFor(RecordsDir(docs), entry.Name)}");
    }

    /// <summary>The learning-curve plot of the metric's own name (perplexity.png, mse.png, ...), else the loss curve.</summary>
    private static string? CurveOf(RunFolder run, string metric)
    {
        var name = metric[(metric.LastIndexOf('.') + 1)..];
        return new[] { name, "loss" }.Select(n => Path.Combine(run.Plots, n + ".png")).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A run made outside `reproduce` counts only if it followed the protocol: its resolved config equals the
    /// reproduction's, key by key, apart from its name, where it ran (device, threads, runs_dir) and the reference block.
    /// </summary>
    private static void RequireSameProtocol(ReproductionEntry entry, RunFolder run)
    {
        var theirs = ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value;
        var ours = entry.Config.Value;
        var a = Protocol(ours).Split('\n');
        var b = Protocol(theirs).Split('\n');
        var expected = a.Except(b).FirstOrDefault();
        var found = b.Except(a).FirstOrDefault();
        if (expected is not null || found is not null)
            throw new UsageException($"{run.Config} does not follow {entry.ConfigPath}: "
                + $"the protocol has '{expected?.Trim() ?? "-"}', the run '{found?.Trim() ?? "-"}'");
    }

    /// <summary>Top-level keys that say where or under what name a run ran, not what it computed.</summary>
    private static readonly HashSet<string> NotProtocol = ["experiment", "device", "threads", "runs_dir", "reference"];

    /// <summary>The resolved config without <see cref="NotProtocol"/>'s sections: top-level keys start a line, their children are indented.</summary>
    private static string Protocol(ExperimentSettings settings)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in ResolvedYamlWriter.Write(settings).Split('\n'))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#'))
                skipping = NotProtocol.Contains(line.Split(':')[0]);
            if (!skipping)
                kept.Add(line);
        }
        return string.Join('\n', kept);
    }

    private static double? EstimatedMinutes(ReproductionEntry entry, string docs) =>
        ReproductionRecord.TryRead(RecordsDir(docs), entry.Name) is { } record ? record.WallSeconds / 60 : entry.Reference.EstimatedMinutes;

    private static string Listing(IReadOnlyList<ReproductionEntry> entries, string docs)
    {
        var table = new MarkdownTable("name", "group", "metric", "published", "ours", "verdict", "recorded", "time");
        foreach (var entry in entries)
        {
            var record = ReproductionRecord.TryRead(RecordsDir(docs), entry.Name);
            var r = entry.Reference;
            table.Add(entry.Name, r.Group, r.Metric!,
                ReproductionVerdict.Published(r),
                record is null ? "—" : ReproductionVerdict.Number(record.Value),
                ReproductionVerdict.Label(ReproductionVerdict.Judge(r, record?.Value)),
                record?.Date ?? "no",
                record?.WallTime ?? ReproductionVerdict.Estimate(r));
        }
        return table.ToString();
    }
}
