using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;

namespace Research.Experiments.Sweeps;

/// <summary>
/// `research train --sweep DIR --trial N`: runs exactly one trial of an expanded sweep in this process, what each local
/// worker and each Slurm array task runs. Idempotent: a done trial is left alone; an interrupted one with a checkpoint
/// resumes from checkpoints/last.ckpt; a failed one, or one killed before its first checkpoint, starts again from scratch.
/// </summary>
public static class SweepTrialRunner
{
    /// <param name="extraOverrides">Applied after the trial's own (the launchers pass threads=K): where it runs, not what it trains.</param>
    public static int Run(string sweepDir, int trialId, IReadOnlyList<string> extraOverrides, string command, CommandContext io)
    {
        var folder = SweepFolder.Open(sweepDir);
        var trials = folder.Trials();
        if (trialId < 0 || trialId >= trials.Count)
            throw new Cli.UsageException($"--trial must be between 0 and {trials.Count - 1} for {folder.Path}, got {trialId}");
        var trial = trials[trialId];
        var path = folder.TrialPath(trial);
        var status = folder.StatusOf(trial);
        if (status.IsDone)
        {
            io.Out.WriteLine($"trial {trial.FolderName} is already {TrialStatus.Label(status.State)}: {path}");
            return 0;
        }

        var run = Directory.Exists(path) && File.Exists(Path.Combine(path, LoadedConfig<ExperimentSettings>.ConfigFileName))
            ? RunFolder.Open(path)
            : null;
        if (status.State == TrialState.Interrupted && run is not null && File.Exists(run.LastCheckpoint))
        {
            io.Out.WriteLine($"trial {trial.FolderName} ({trial.Describe()}): resuming");
            return Guard(path, () => ExperimentRunner.Train(ConfigLoader.LoadRun<ExperimentSettings>(run.Config, extraOverrides), "", command, io,
                run, Checkpoint.ReadMeta(run.LastCheckpoint)).ExitCode);
        }

        ClearExceptLog(path);
        io.Out.WriteLine($"trial {trial.FolderName} ({trial.Describe()}): starting");
        return Guard(path, () =>
        {
            var loaded = ConfigLoader.LoadRun<ExperimentSettings>(folder.BaseConfig, [.. trial.Overrides, .. extraOverrides]);
            return ExperimentRunner.Train(loaded, "", command, io, RunFolder.CreateAt(path)).ExitCode;
        });
    }

    /// <summary>An error leaves failure.txt behind (then propagates as usual), so the sweep tells it from a kill.</summary>
    private static int Guard(string path, Func<int> train)
    {
        try
        {
            return train();
        }
        catch (Exception e)
        {
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, TrialStatus.FailureFileName), $"{e.GetType().Name}: {e.Message}\n");
            throw;
        }
    }

    /// <summary>A fresh start in the same folder: what an earlier attempt left goes, its log stays (appended to).</summary>
    private static void ClearExceptLog(string path)
    {
        if (!Directory.Exists(path))
            return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            if (Path.GetFileName(entry) == LocalLauncher.LogFileName)
                continue;
            if (Directory.Exists(entry))
                Directory.Delete(entry, recursive: true);
            else
                File.Delete(entry);
        }
    }
}
