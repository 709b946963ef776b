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
public sealed class SweepCommand : ICommand
{
    public string Name => "sweep";

    public string Summary => "run a sweep file's trials (grid, random search, seeds) locally or on Slurm and rank the settings";

    public string Usage => "FILE [options] | FILE|DIR --status";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("launcher", "local (worker processes on this machine) or slurm (a job array)", "local"),
        new("workers", "local launcher: trials at once (default: the sweep file's workers, else 1)"),
        new("out", "the sweep folder (default <runs_dir of the base config>/sweeps/<name>)"),
        OptionSpec.Flag("dry-run", "print the trials (the manifest) and run nothing; no folder is made"),
        OptionSpec.Flag("status", "show each trial's state and rewrite the aggregate; run nothing"),
        OptionSpec.Flag("skip-failed", "leave failed trials as they are (default: run them again)"),
        OptionSpec.Flag("no-wait", "slurm launcher: submit and return (follow with --status)"),
        new("poll-seconds", "slurm launcher: how often to ask squeue", "5"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        if (args.Positional.Count != 1)
            throw new UsageException("give one sweep file, e.g. research sweep configs/sweeps/quickstart-lr.yaml");
        var given = args.Positional[0];
        var launcher = args.String("launcher");
        if (launcher is not ("local" or "slurm"))
            throw new UsageException($"--launcher must be local or slurm, got '{launcher}'");
        if (args.Flag("status") && Directory.Exists(given))
            return Status(SweepFolder.Open(given), stdout);

        var plan = SweepExpansion.Expand(SweepFileParser.Load(given));
        var sweep = plan.File;
        var outDir = args.OptionalString("out") ?? Path.Combine(plan.RunsDir, "sweeps", sweep.Name);
        if (args.Flag("dry-run"))
        {
            var table = new MarkdownTable("trial", "setting", "seed", "overrides");
            foreach (var t in plan.Trials)
                table.Add(t.FolderName, t.Setting.ToString(CultureInfo.InvariantCulture), t.Seed.ToString(CultureInfo.InvariantCulture), string.Join(' ', t.Overrides));
            stdout.Write(table.ToString());
            stdout.WriteLine($"{plan.Trials.Count} trials in {plan.Settings} settings; sweep folder {Path.GetFullPath(outDir)} (dry run: nothing written)");
            return 0;
        }
        if (args.Flag("status"))
            return Status(SweepFolder.Open(outDir), stdout);

        var folder = SweepFolder.Prepare(outDir, plan);
        var trials = plan.Trials;
        var skipFailed = args.Flag("skip-failed");
        var states = trials.Select(folder.StatusOf).ToList();
        var pending = trials.Where((t, k) => !states[k].IsDone && !(skipFailed && states[k].State == TrialState.Failed)).ToList();
        stdout.WriteLine($"sweep {sweep.Name}: {trials.Count} trials in {plan.Settings} settings, folder {folder.Path}; "
            + $"{trials.Count - pending.Count} done{(skipFailed ? " or failed (--skip-failed)" : "")}, {pending.Count} to run");

        if (pending.Count > 0 && launcher == "local")
        {
            var workers = args.OptionalString("workers") is null ? sweep.Workers : args.Int("workers", min: 1);
            new LocalLauncher(folder, sweep, stdout).Run(pending, workers);
        }
        else if (pending.Count > 0)
        {
            var slurm = new SlurmLauncher(folder, sweep, stdout);
            var job = slurm.Submit(pending);
            if (args.Flag("no-wait"))
            {
                stdout.WriteLine($"not waiting: follow with  squeue -j {job}  and  research sweep {folder.Path} --status");
                return 0;
            }
            slurm.Follow(job, pending, TimeSpan.FromSeconds(args.Double("poll-seconds", min: 0.1, max: 3600)));
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
