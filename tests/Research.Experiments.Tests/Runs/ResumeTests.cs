using System.Diagnostics;
using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Training;

namespace Research.Experiments.Tests.Runs;

/// <summary>
/// Resume, kill-safety and memory, each in child processes: a run killed with SIGKILL and resumed ends with the same
/// metrics as one never interrupted; a kill at any moment leaves a checkpoint that loads; live tensors stay flat.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-resume").FullName;

    [Fact]
    public void AKilledAndResumedRunEqualsAnUninterruptedOne()
    {
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var whole = Path.Combine(_dir, "whole");
        var (code, stdout, stderr) = TinyRuns.Child("train", config, "--runs-dir", whole);
        Assert.True(code == 0, stdout + stderr);

        var broken = Path.Combine(_dir, "broken");
        using (var child = TinyRuns.Start("train", config, "--runs-dir", broken))
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 2 done", StringComparison.Ordinal))
            {
            }
            Assert.NotNull(line);
            child.Kill(); // SIGKILL: no chance to clean up
            child.WaitForExit();
        }
        var run = TinyRuns.OnlyRun(broken);
        var kept = Checkpoint.ReadMeta(Path.Combine(run, "checkpoints", "last.ckpt"));
        Assert.True(kept.Epoch >= 2);
        Assert.True(kept.TrainingSeconds > 0);
        (code, stdout, stderr) = TinyRuns.Child("train", "--resume", run);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("resuming", stdout, StringComparison.Ordinal);
        // The resumed run's wall time counts the epochs before the kill too.
        using (var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
            Assert.True(summary.RootElement.GetProperty("wall_seconds").GetDouble() > kept.TrainingSeconds);

        var expected = Series(TinyRuns.OnlyRun(whole));
        var actual = Series(run);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
            Assert.True(Math.Abs(value - actual[key]) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"{key}: {value} uninterrupted, {actual[key]} resumed");
    }

    [Fact]
    public void AKillAtAnyMomentLeavesALoadableCheckpoint()
    {
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var runs = Path.Combine(_dir, "killed");
        Directory.CreateDirectory(runs);
        var random = new Random(5);
        var loads = 0;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using (var child = TinyRuns.Start("train", config, "--runs-dir", runs, "train.epochs=1000", "data.train_tokens=800", "data.eval_tokens=200"))
            {
                // Wait for the first checkpoint (start-up time varies with load), then kill amid the next writes.
                var clock = Stopwatch.StartNew();
                while (!Directory.EnumerateFiles(runs, "last.ckpt", SearchOption.AllDirectories).Any() && clock.Elapsed < TimeSpan.FromMinutes(2))
                    Thread.Sleep(20);
                Thread.Sleep(random.Next(400));
                child.Kill();
                child.WaitForExit();
            }
            foreach (var run in Directory.GetDirectories(Path.Combine(runs, "tiny")))
            {
                var last = Path.Combine(run, "checkpoints", "last.ckpt");
                if (!File.Exists(last))
                    continue;
                var settings = ConfigLoader.Load<ExperimentSettings>(Path.Combine(run, "config.yaml")).Value;
                var built = ExperimentBuilder.Build(settings);
                var optimizer = OptimizerFactory.Create(built.Task.Model.parameters(), settings.Train);
                Assert.True(Checkpoint.Load(last, built.Task.Model, optimizer).Epoch >= 1);
                loads++;
                Directory.Delete(run, recursive: true);
            }
        }
        Assert.Equal(6, loads);
    }

    [Fact]
    public void LiveTensorsDoNotGrowFromEpochTwoToEpochTen()
    {
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var runs = Path.Combine(_dir, "memory");
        var (code, stdout, stderr) = TinyRuns.Child("train", config, "--runs-dir", runs, "train.epochs=10");
        Assert.True(code == 0, stdout + stderr);
        var live = MetricsCsvReader.Read(Path.Combine(TinyRuns.OnlyRun(runs), "metrics.csv"))
            .Where(r => r is { Split: "system", Name: "live_tensors" })
            .ToDictionary(r => r.Epoch, r => r.Value);
        Assert.Equal(10, live.Count);
        Assert.True(live.Where(kv => kv.Key >= 2).All(kv => kv.Value <= live[2]), string.Join(", ", live.Select(kv => $"{kv.Key}: {kv.Value}")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every epoch-level metric (split/name/epoch → value), the per-step rows and timings left out.</summary>
    private static Dictionary<string, double> Series(string run) => MetricsCsvReader.Read(Path.Combine(run, "metrics.csv"))
        .Where(r => r.Split is "valid" or "test" || (r.Split == "train" && r.Name is "loss" or "perplexity"))
        .GroupBy(r => $"{r.Split}/{r.Name}/{r.Epoch}")
        .ToDictionary(g => g.Key, g => g.Last().Value);
}
