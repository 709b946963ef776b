using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>
/// The local launcher end to end, in child processes: a 6-trial sweep on 2 workers whose aggregate matches the
/// trials' own summary.json; a second invocation that runs nothing; a trial killed mid-run that a re-run completes.
/// </summary>
public sealed class LocalSweepTests : IDisposable
{
    private readonly SweepFixtures _files = new();

    [Fact]
    public void SixTrialsOnTwoWorkersAggregateCorrectlyAndASecondRunStartsNothing()
    {
        var sweep = _files.Sweep("""
            base: tiny.yaml
            overrides:
              train.epochs: 1
            grid:
              train.lr: [0.01, 0.003]
            seeds: [1, 2, 3]
            metric: test.loss
            workers: 2
            """);
        var outDir = _files.Path("out");
        var (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("running 6 trials on 2 local workers, 1 thread each", stdout, StringComparison.Ordinal);
        Assert.Contains("6 trials: 6 finished", stdout, StringComparison.Ordinal);

        // The aggregate, recomputed here from each trial's summary.json.
        var values = Enumerable.Range(0, 6).Select(k => Summary(outDir, k)["test"]!["loss"]!.GetValue<double>()).ToArray();
        var rows = File.ReadAllLines(Path.Combine(outDir, "aggregate.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var (setting, lr) in new[] { (0, "0.01"), (1, "0.003") })
        {
            var seeds = values.Skip(3 * setting).Take(3).ToArray();
            var mean = seeds.Average();
            var std = Math.Sqrt(seeds.Sum(v => (v - mean) * (v - mean)) / 2);
            var row = rows.Single(r => r[1] == setting.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(lr, row[2]);
            Assert.Equal(("3", "3"), (row[3], row[4]));
            Assert.Equal(mean, double.Parse(row[5], CultureInfo.InvariantCulture), 12);
            Assert.Equal(std, double.Parse(row[6], CultureInfo.InvariantCulture), 12);
            Assert.Equal((seeds.Min(), seeds.Max()), (double.Parse(row[7], CultureInfo.InvariantCulture), double.Parse(row[8], CultureInfo.InvariantCulture)));
        }
        var means = rows.Select(r => double.Parse(r[5], CultureInfo.InvariantCulture)).ToList();
        Assert.True(means[0] <= means[1], "ranked lowest mean first");
        Assert.Contains("± is the sample standard deviation (n − 1)", File.ReadAllText(Path.Combine(outDir, "aggregate.md")), StringComparison.Ordinal);
        for (var k = 0; k < 6; k++)
            Assert.Equal($"1,{k % 3 + 1}", string.Join(',', Summary(outDir, k)["epochs"], Seed(outDir, k)));

        var written = SummaryTimes(outDir);
        (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("6 done, 0 to run", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("started", stdout, StringComparison.Ordinal);
        Assert.Equal(written, SummaryTimes(outDir));
    }

    [Fact]
    public void ARerunAfterAKilledWorkerCompletesExactlyTheMissingTrials()
    {
        var sweep = _files.Sweep("""
            base: tiny.yaml
            overrides:
              train.epochs: 6
              data.train_tokens: 1500
            grid:
              train.lr: [0.01, 0.003]
            seeds: [1, 2]
            metric: test.loss
            workers: 2
            """);
        var outDir = _files.Path("out");
        var (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        var untouched = SummaryTimes(outDir);

        // Trial 1: its worker killed mid-run after a checkpoint. Trial 3: killed before starting (its folder gone).
        Directory.Delete(Path.Combine(outDir, "trials", "001"), recursive: true);
        Directory.Delete(Path.Combine(outDir, "trials", "003"), recursive: true);
        using (var worker = TinyRuns.Start("train", "--sweep", outDir, "--trial", "1", "threads=1"))
        {
            var last = Path.Combine(outDir, "trials", "001", "checkpoints", "last.ckpt");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(last) && clock.Elapsed < TimeSpan.FromMinutes(2) && !worker.HasExited)
                Thread.Sleep(10);
            Assert.True(File.Exists(last), "trial 1 wrote no checkpoint");
            worker.Kill();
            worker.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(outDir, "trials", "001", "summary.json")), "the trial finished before it was killed: make it longer");

        (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir, "--status");
        Assert.Equal(1, code);
        Assert.Contains("2 finished, 1 interrupted, 1 missing", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = TinyRuns.Child("sweep", sweep, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("2 done, 2 to run", stdout, StringComparison.Ordinal);
        Assert.Equal(["001", "003"], stdout.Split('\n').Where(l => l.Contains(" started:", StringComparison.Ordinal))
            .Select(l => l.Split("trial ")[1][..3]).Order());
        Assert.Contains("4 trials: 4 finished", stdout, StringComparison.Ordinal);
        Assert.Contains("resuming", File.ReadAllText(Path.Combine(outDir, "trials", "001", "trial.log")), StringComparison.Ordinal);
        var now = SummaryTimes(outDir);
        Assert.Equal(untouched["000"], now["000"]);
        Assert.Equal(untouched["002"], now["002"]);
    }

    public void Dispose() => _files.Dispose();

    private static JsonNode Summary(string outDir, int trial) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "trials", trial.ToString("D3", CultureInfo.InvariantCulture), "summary.json")))!;

    private static string Seed(string outDir, int trial) => File.ReadAllLines(Path.Combine(outDir, "trials", trial.ToString("D3", CultureInfo.InvariantCulture), "config.yaml"))
        .Single(l => l.StartsWith("seed:", StringComparison.Ordinal))["seed:".Length..].Trim();

    private static Dictionary<string, DateTime> SummaryTimes(string outDir) => Directory.GetDirectories(Path.Combine(outDir, "trials"))
        .Where(d => File.Exists(Path.Combine(d, "summary.json")))
        .ToDictionary(d => Path.GetFileName(d), d => File.GetLastWriteTimeUtc(Path.Combine(d, "summary.json")));
}
