using System.Diagnostics;
using System.Globalization;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>
/// The Slurm launcher against a real Slurm: a 4-trial sweep submitted as a job array, followed to the end and
/// aggregated. Needs a running cluster (scripts/slurm/start-local-slurm.sh) and fails without one; scripts/test.sh
/// runs this category only when RESEARCH_SLURM_TESTS=1, as .ci/run sets after starting Slurm (docs/sweeps.md).
/// </summary>
[Trait("Category", "Slurm")]
public sealed class SlurmSweepTests : IDisposable
{
    private readonly SweepFixtures _files = new();

    [Fact]
    public void AFourTrialSweepRunsAsAJobArrayAndAggregates()
    {
        var sinfo = Run("sinfo", "-h", "-o", "%T");
        Assert.True(sinfo.code == 0 && sinfo.stdout.Trim().Length > 0,
            $"no Slurm answers sinfo (exit {sinfo.code}: {sinfo.stderr.Trim()}); start one with scripts/slurm/start-local-slurm.sh");
        var sweep = _files.Sweep("""
            base: tiny.yaml
            overrides:
              train.epochs: 1
            grid:
              train.lr: [0.01, 0.003]
            seeds: [1, 2]
            metric: test.loss
            slurm:
              cpus_per_task: 1
              time: "00:05:00"
              max_parallel: 2
            """);
        var outDir = _files.Path("out");
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir, "--launcher", "slurm", "--poll-seconds", "1");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("submitted 4 trials as Slurm job array", stdout, StringComparison.Ordinal);
        Assert.Contains("4 trials: 4 finished", stdout, StringComparison.Ordinal);
        var script = File.ReadAllText(Path.Combine(outDir, "slurm", "sweep.sbatch"));
        Assert.Contains("#SBATCH --array=0-3%2\n", script, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(outDir, "slurm"), "*.out").Length);

        var rows = File.ReadAllLines(Path.Combine(outDir, "aggregate.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("2", "2"), (r[3], r[4])));
        Assert.All(rows, r => Assert.True(double.IsFinite(double.Parse(r[5], CultureInfo.InvariantCulture)) && double.Parse(r[6], CultureInfo.InvariantCulture) >= 0));

        // Nothing left to do: a second invocation submits no job.
        (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir, "--launcher", "slurm");
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain("submitted", stdout, StringComparison.Ordinal);
        Console.WriteLine($"slurm sweep of 4 trials: {clock.Elapsed.TotalSeconds:F1} s");
    }

    public void Dispose() => _files.Dispose();

    private static (int code, string stdout, string stderr) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{program}: {e.Message}");
        }
    }
}
