using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Research.Experiments.Cli;

namespace Research.Experiments.Sweeps;

/// <summary>
/// Runs a sweep's pending trials as one Slurm job array: writes slurm/sweep.sbatch, submits it with
/// `sbatch --parsable`, then follows it with `squeue` (no accounting needed: each trial's state is read from its
/// folder, the same as for local workers) and prints a line whenever a trial starts or ends.
/// </summary>
public sealed class SlurmLauncher(SweepFolder folder, SweepFile sweep, TextWriter stdout)
{
    /// <summary>Writes the script and submits it; returns the job id.</summary>
    public string Submit(IReadOnlyList<SweepTrial> pending)
    {
        Directory.CreateDirectory(folder.Slurm);
        var script = Path.Combine(folder.Slurm, "sweep.sbatch");
        var dataDir = Environment.GetEnvironmentVariable("RESEARCH_DATA_DIR") is { Length: > 0 } d ? Path.GetFullPath(d) : null;
        SweepFolder.WriteAtomically(script, SbatchScript.Text($"sweep-{sweep.Name}", [.. pending.Select(t => t.Id)], sweep.Slurm, folder.Path,
            ResearchProcess.DotnetHost, ResearchProcess.Dll, dataDir));
        var (code, output, error) = Execute("sbatch", "--parsable", script);
        if (code != 0)
            throw new UsageException($"sbatch {script} failed (exit {code}): {error.Trim()}");
        // --parsable prints `jobid` or `jobid;cluster`.
        var job = output.Trim().Split(';')[0];
        stdout.WriteLine($"submitted {pending.Count} trials as Slurm job array {job} ({script})");
        return job;
    }

    /// <summary>Polls squeue until the job has left the queue, reporting trials as their folders change state.</summary>
    public void Follow(string job, IReadOnlyList<SweepTrial> pending, TimeSpan poll)
    {
        var seen = pending.ToDictionary(t => t.Id, t => folder.StatusOf(t).State);
        var failures = 0;
        while (true)
        {
            var (code, output, error) = Execute("squeue", "-h", "-j", job, "-o", "%i %T");
            var gone = code == 0 ? output.Trim().Length == 0 : error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase);
            if (code != 0 && !gone && ++failures >= 10)
                throw new UsageException($"squeue -j {job} keeps failing (exit {code}): {error.Trim()}");
            Report(pending, seen);
            if (gone)
                break;
            Thread.Sleep(poll);
        }
        Report(pending, seen);
        stdout.WriteLine($"Slurm job {job} has left the queue");
    }

    private void Report(IReadOnlyList<SweepTrial> pending, Dictionary<int, TrialState> seen)
    {
        foreach (var trial in pending)
        {
            var status = folder.StatusOf(trial);
            if (status.State == seen[trial.Id])
                continue;
            seen[trial.Id] = status.State;
            var value = status.Metric(sweep.Metric);
            stdout.WriteLine(status.State switch
            {
                TrialState.Interrupted => $"trial {trial.FolderName} running: {trial.Describe()}",
                TrialState.Finished => $"trial {trial.FolderName} finished: {sweep.Metric} {(value is { } v ? v.ToString("G5", CultureInfo.InvariantCulture) : "missing")}",
                TrialState.Failed => $"trial {trial.FolderName} failed: {status.Error}",
                var other => $"trial {trial.FolderName} {TrialStatus.Label(other)}",
            });
            stdout.Flush();
        }
    }

    private static (int code, string stdout, string stderr) Execute(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info) ?? throw new UsageException($"could not start {program}");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
        catch (Win32Exception)
        {
            throw new UsageException($"{program} not found: --launcher slurm needs the Slurm client tools on PATH "
                + "(scripts/slurm/start-local-slurm.sh starts a single-node Slurm on this machine)");
        }
    }
}
