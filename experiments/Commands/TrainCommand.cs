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
public sealed class TrainCommand : ICommand
{
    public string Name => "train";

    public string Summary => "train an experiment from a config file (key.sub=value overrides) or resume a run";

    public string Usage => "CONFIG [key.sub=value ...] | --resume RUN | --sweep DIR --trial N [threads=K]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("resume", "continue the run in this folder from its last checkpoint"),
        new("runs-dir", "folder for run folders (overrides the config's runs_dir)"),
        new("sweep", "with --trial: the sweep folder whose trial to run (research sweep makes it)"),
        new("trial", "with --sweep: the trial id (its manifest line, the Slurm array index)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        if (args.OptionalString("sweep") is { } sweep)
        {
            if (args.OptionalString("resume") is not null || args.OptionalString("runs-dir") is not null)
                throw new UsageException("--sweep runs a trial in its sweep folder: give no --resume or --runs-dir");
            return SweepTrialRunner.Run(sweep, args.Int("trial", min: 0), Overrides(args.Positional), args.CommandLine(Name), stdout);
        }
        if (args.OptionalString("trial") is not null)
            throw new UsageException("--trial needs --sweep DIR");

        var resumePath = args.OptionalString("resume");
        LoadedConfig<ExperimentSettings> loaded;
        RunFolder? run = null;
        CheckpointMeta? resumeFrom = null;
        if (resumePath is not null)
        {
            if (args.Positional.Count > 0)
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
            if (args.Positional.Count == 0)
                throw new UsageException("give a config file, e.g. research train configs/quickstart.yaml");
            loaded = ConfigLoader.Load<ExperimentSettings>(args.Positional[0], Overrides(args.Positional.Skip(1)));
        }

        var runsDir = args.OptionalString("runs-dir") ?? loaded.Value.RunsDir;
        return ExperimentRunner.Train(loaded, runsDir, args.CommandLine(Name), stdout, run, resumeFrom).ExitCode;
    }

    private static List<string> Overrides(IEnumerable<string> given)
    {
        var overrides = given.ToList();
        var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
        return bad is null ? overrides : throw new UsageException($"'{bad}' is not an override: write key.sub=value");
    }
}
