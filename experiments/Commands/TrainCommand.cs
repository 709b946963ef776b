using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;

namespace Research.Experiments.Commands;

/// <summary>
/// `research train CONFIG [key=value ...]` or `research train --resume RUN`: builds the experiment (bad data or config
/// fail here, before any folder exists), creates the run folder, trains, tests the best checkpoint, writes plots and
/// summary.json, and says where everything is.
/// </summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";

    public string Summary => "train an experiment from a config file (key.sub=value overrides) or resume a run";

    public string Usage => "CONFIG [key.sub=value ...] | --resume RUN";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("resume", "continue the run in this folder from its last checkpoint"),
        new("runs-dir", "folder for run folders (overrides the config's runs_dir)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
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
            loaded = ConfigLoader.Load<ExperimentSettings>(run.Config);
            resumeFrom = Checkpoint.ReadMeta(run.LastCheckpoint);
        }
        else
        {
            if (args.Positional.Count == 0)
                throw new UsageException("give a config file, e.g. research train configs/quickstart.yaml");
            var overrides = args.Positional.Skip(1).ToList();
            var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
            if (bad is not null)
                throw new UsageException($"'{bad}' is not an override: write key.sub=value");
            loaded = ConfigLoader.Load<ExperimentSettings>(args.Positional[0], overrides);
        }

        var runsDir = args.OptionalString("runs-dir") ?? loaded.Value.RunsDir;
        return ExperimentRunner.Train(loaded, runsDir, args.CommandLine(Name), stdout, run, resumeFrom).ExitCode;
    }
}
