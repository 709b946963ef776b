using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Research.Experiments.Sweeps;

/// <summary>
/// Runs a sweep's pending trials on this machine: N worker slots, each running one trial at a time as a child
/// process (`research train --sweep DIR --trial ID threads=K`, K = cores / N, at least 1), so a killed worker loses
/// only its own trial. Each child's stdout and stderr go to trials/&lt;id&gt;/trial.log; one line per start and end here.
/// </summary>
public sealed class LocalLauncher(SweepFolder folder, SweepFile sweep, TextWriter stdout)
{
    public const string LogFileName = "trial.log";

    private readonly Lock _console = new();
    private int _started;

    /// <summary>Cores given to each of <paramref name="workers"/> workers.</summary>
    public static int ThreadsPerWorker(int workers, int cores) => Math.Max(1, cores / Math.Max(1, workers));

    public void Run(IReadOnlyList<SweepTrial> pending, int workers)
    {
        workers = Math.Max(1, Math.Min(workers, pending.Count));
        var threads = ThreadsPerWorker(workers, Environment.ProcessorCount);
        stdout.WriteLine($"running {pending.Count} trials on {workers} local worker{(workers == 1 ? "" : "s")}, {threads} thread{(threads == 1 ? "" : "s")} each");
        var queue = new ConcurrentQueue<SweepTrial>(pending);
        var slots = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var trial))
                await RunTrial(trial, threads, pending.Count).ConfigureAwait(false);
        }));
        Task.WaitAll([.. slots]);
    }

    private async Task RunTrial(SweepTrial trial, int threads, int total)
    {
        Directory.CreateDirectory(folder.TrialPath(trial));
        var number = Interlocked.Increment(ref _started);
        var tag = $"[{number.ToString(CultureInfo.InvariantCulture).PadLeft(total.ToString(CultureInfo.InvariantCulture).Length)}/{total}] trial {trial.FolderName}";
        Say($"{tag} started: {trial.Describe()}");
        var clock = Stopwatch.StartNew();
        int code;
        await using (var log = new StreamWriter(folder.TrialLog(trial), append: true) { AutoFlush = true })
        {
            using var child = Process.Start(ResearchProcess.StartInfo(
                ["train", "--sweep", folder.Path, "--trial", trial.Id.ToString(CultureInfo.InvariantCulture), $"threads={threads}"]))
                ?? throw new InvalidOperationException("could not start dotnet");
            await Task.WhenAll(Copy(child.StandardOutput, log), Copy(child.StandardError, log), child.WaitForExitAsync()).ConfigureAwait(false);
            code = child.ExitCode;
        }
        var status = folder.StatusOf(trial);
        var value = status.Metric(sweep.Metric);
        var outcome = status.State switch
        {
            TrialState.Finished => $"finished in {clock.Elapsed.TotalSeconds:F1} s: {sweep.Metric} {(value is { } v ? v.ToString("G5", CultureInfo.InvariantCulture) : "missing")}",
            TrialState.Diverged => $"diverged after {clock.Elapsed.TotalSeconds:F1} s",
            TrialState.Failed => $"failed (exit {code}): {status.Error}; see {folder.TrialLog(trial)}",
            _ => $"stopped without a result (exit {code}); see {folder.TrialLog(trial)}",
        };
        Say($"{tag} {outcome}");
    }

    /// <summary>Line by line, under a lock: stdout and stderr of one child share one log.</summary>
    private static async Task Copy(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (to)
                to.WriteLine(line);
        }
    }

    private void Say(string line)
    {
        lock (_console)
        {
            stdout.WriteLine(line);
            stdout.Flush();
        }
    }
}
