using System.CommandLine;
using System.Globalization;
using Research.Experiments.Cli;
using Research.Experiments.Reporting;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Commands;

/// <summary>
/// `research sweep FILE`: expands a sweep file (configs/sweeps/*.yaml) into trials, checking every trial's config
/// before anything runs; runs the trials not yet done on local workers or as a Slurm job array, each as a normal run
/// folder under the sweep folder; and writes the aggregate tables (docs/sweeps.md).
/// </summary>
public static class SweepCommand
{
    private static readonly Argument<string> SweepPath = TypedOptions.One("FILE", "a sweep file (configs/sweeps/*.yaml); with --status also its sweep folder");
    private static readonly Option<string> Launcher = TypedOptions.Text("--launcher", "local (worker processes on this machine) or slurm (a job array)", "local");
    private static readonly Option<int?> Workers = TypedOptions.OptionalInt("--workers", "local launcher: trials at once (default: the sweep file's workers, else 1)", min: 1);
    private static readonly Option<string?> Out = TypedOptions.Text("--out", "the sweep folder (default <runs_dir of the base config>/sweeps/<name>)");
    private static readonly Option<bool> DryRun = TypedOptions.Flag("--dry-run", "print the trials (the manifest) and run nothing; no folder is made");
    private static readonly Option<bool> StatusOnly = TypedOptions.Flag("--status", "show each trial's state and rewrite the aggregate; run nothing");
    private static readonly Option<bool> SkipFailed = TypedOptions.Flag("--skip-failed", "leave failed trials as they are (default: run them again)");
    private static readonly Option<bool> NoWait = TypedOptions.Flag("--no-wait", "slurm launcher: submit and return (follow with --status)");
    private static readonly Option<double> PollSeconds = TypedOptions.Double("--poll-seconds", "slurm launcher: how often to ask squeue", 5, min: 0.1, max: 3600);

    public static Command Create() => Verb.Create("sweep", "run a sweep file's trials (grid, random search, seeds) locally or on Slurm and rank the settings", Run,
        SweepPath, Launcher, Workers, Out, DryRun, StatusOnly, SkipFailed, NoWait, PollSeconds);

    private static int Run(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var given = args.GetValue(SweepPath)!;
        var launcher = args.GetValue(Launcher);
        if (launcher is not ("local" or "slurm"))
            throw new UsageException($"--launcher must be local or slurm, got '{launcher}'");
        if (args.GetValue(StatusOnly) && Directory.Exists(given))
            return Status(SweepFolder.Open(given), stdout);

        var plan = SweepExpansion.Expand(SweepFileParser.Load(given));
        var sweep = plan.File;
        var outDir = args.GetValue(Out) ?? Path.Combine(plan.RunsDir, "sweeps", sweep.Name);
        if (args.GetValue(DryRun))
        {
            var table = new MarkdownTable("trial", "setting", "seed", "overrides");
            foreach (var t in plan.Trials)
                table.Add(t.FolderName, t.Setting.ToString(CultureInfo.InvariantCulture), t.Seed.ToString(CultureInfo.InvariantCulture), string.Join(' ', t.Overrides));
            stdout.Write(table.ToString());
            stdout.WriteLine($"{plan.Trials.Count} trials in {plan.Settings} settings; sweep folder {Path.GetFullPath(outDir)} (dry run: nothing written)");
            return 0;
        }
        if (args.GetValue(StatusOnly))
            return Status(SweepFolder.Open(outDir), stdout);

        var folder = SweepFolder.Prepare(outDir, plan);
        var trials = plan.Trials;
        var skipFailed = args.GetValue(SkipFailed);
        var states = trials.Select(folder.StatusOf).ToList();
        var pending = trials.Where((t, k) => !states[k].IsDone && !(skipFailed && states[k].State == TrialState.Failed)).ToList();
        stdout.WriteLine($"sweep {sweep.Name}: {trials.Count} trials in {plan.Settings} settings, folder {folder.Path}; "
            + $"{trials.Count - pending.Count} done{(skipFailed ? " or failed (--skip-failed)" : "")}, {pending.Count} to run");

        if (pending.Count > 0 && launcher == "local")
        {
            var workers = args.GetValue(Workers) ?? sweep.Workers;
            new LocalLauncher(folder, sweep, stdout).Run(pending, workers);
        }
        else if (pending.Count > 0)
        {
            var slurm = new SlurmLauncher(folder, sweep, stdout);
            var job = slurm.Submit(pending);
            if (args.GetValue(NoWait))
            {
                stdout.WriteLine($"not waiting: follow with  squeue -j {job}  and  research sweep {folder.Path} --status");
                return 0;
            }
            slurm.Follow(job, pending, TimeSpan.FromSeconds(args.GetValue(PollSeconds)));
        }
        return Aggregate(folder, sweep, trials, stdout, printTrials: false);
    }

    private static int Status(SweepFolder folder, TextWriter stdout) => Aggregate(folder, folder.ReadSweepFile(), folder.Trials(), stdout, printTrials: true);

    /// <returns>1 when a trial failed, was interrupted or never ran; 0 when every trial is done (finished or diverged).</returns>
    private static int Aggregate(SweepFolder folder, Sweeps.SweepFile sweep, IReadOnlyList<SweepTrial> trials, TextWriter stdout, bool printTrials)
    {
        var results = SweepAggregate.Collect(folder, trials, sweep.Metric);
        var markdown = SweepAggregate.Write(folder, sweep, results);
        var cut = markdown.IndexOf("\n## Trials", StringComparison.Ordinal);
        stdout.WriteLine();
        stdout.Write(printTrials || cut < 0 ? markdown : markdown[..cut]);
        stdout.WriteLine();
        stdout.WriteLine($"{trials.Count} trials: {SweepAggregate.Counts(results)}");
        stdout.WriteLine($"aggregate: {folder.AggregateMarkdown}, {folder.AggregateCsv}, {folder.TrialsCsv}");
        return results.All(r => r.State is TrialState.Finished or TrialState.Diverged) ? 0 : 1;
    }
}
