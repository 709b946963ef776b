using System.CommandLine;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Commands;

/// <summary>
/// `research train CONFIG [key=value ...]` or `research train --resume RUN`: builds the experiment (bad data or config
/// fail here, before any folder exists), creates the run folder, trains, tests the best checkpoint, writes plots and
/// summary.json, and says where everything is. `research train --sweep DIR --trial N` runs one trial of an expanded
/// sweep (docs/sweeps.md): what the sweep's local workers and Slurm array tasks run.
/// </summary>
public static class TrainCommand
{
    private static readonly Argument<string[]> Positional = TypedOptions.Many("CONFIG", "a config file, then key.sub=value overrides (with --sweep: threads=K)");
    private static readonly Option<string?> Resume = TypedOptions.Text("--resume", "continue the run in this folder from its last checkpoint");
    private static readonly Option<string?> RunsDir = TypedOptions.Text("--runs-dir", "folder for run folders (overrides the config's runs_dir)");
    private static readonly Option<string?> Sweep = TypedOptions.Text("--sweep", "with --trial: the sweep folder whose trial to run (research sweep makes it)");
    private static readonly Option<int?> Trial = TypedOptions.OptionalInt("--trial", "with --sweep: the trial id (its manifest line, the Slurm array index)", min: 0);

    public static Command Create() => Verb.Create("train", "train an experiment from a config file (key.sub=value overrides) or resume a run", Run,
        Positional, Resume, RunsDir, Sweep, Trial);

    private static int Run(ParseResult args, CommandContext io)
    {
        var positional = args.GetValue(Positional) ?? [];
        if (args.GetValue(Sweep) is { } sweep)
        {
            if (args.GetValue(Resume) is not null || args.GetValue(RunsDir) is not null)
                throw new UsageException("--sweep runs a trial in its sweep folder: give no --resume or --runs-dir");
            var trial = args.GetValue(Trial) ?? throw new UsageException("--trial is required");
            return SweepTrialRunner.Run(sweep, trial, Overrides(positional), Verb.CommandLine(args), io);
        }
        if (args.GetValue(Trial) is not null)
            throw new UsageException("--trial needs --sweep DIR");

        var resumePath = args.GetValue(Resume);
        LoadedConfig<ExperimentSettings> loaded;
        RunFolder? run = null;
        CheckpointMeta? resumeFrom = null;
        if (resumePath is not null)
        {
            if (positional.Length > 0)
                throw new UsageException("--resume takes the run's own config; give no config file or overrides");
            run = RunFolder.Open(resumePath);
            if (!File.Exists(run.LastCheckpoint))
                throw new UsageException($"{resumePath} has no checkpoint to resume from ({run.LastCheckpoint})");
            loaded = ConfigLoader.LoadRun<ExperimentSettings>(run.Config);
            resumeFrom = Checkpoint.ReadMeta(run.LastCheckpoint);
            // The checkpoint replaces every weight: the file the run started from (model.init_from) is not read again.
            loaded.Value.Model.InitFrom = null;
        }
        else
        {
            if (positional.Length == 0)
                throw new UsageException("give a config file, e.g. research train configs/quickstart.yaml");
            loaded = ConfigLoader.Load<ExperimentSettings>(positional[0], Overrides(positional.Skip(1)));
        }

        var runsDir = args.GetValue(RunsDir) ?? loaded.Value.RunsDir;
        return ExperimentRunner.Train(loaded, runsDir, Verb.CommandLine(args), io, run, resumeFrom).ExitCode;
    }

    private static List<string> Overrides(IEnumerable<string> given)
    {
        var overrides = given.ToList();
        var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
        return bad is null ? overrides : throw new UsageException($"'{bad}' is not an override: write key.sub=value");
    }
}
