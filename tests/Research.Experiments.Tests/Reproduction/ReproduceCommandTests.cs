using System.Text.Json;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Reproduction;

/// <summary>`research reproduce` on a folder holding one tiny reproduction config: run, record, report, adopt a run.</summary>
public sealed class ReproduceCommandTests : IDisposable
{
    private const string Reference = """

        reference:
          source: "a tiny test protocol"
          metric: test.perplexity
          published: 6.0
          tolerance: 0.5
          group: Tiny
          estimated_minutes: 1
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("research-repro").FullName;

    private string Configs => Path.Combine(_root, "configs");

    private string Docs => Path.Combine(_root, "docs");

    private string RunsDir => Path.Combine(_root, "runs");

    public ReproduceCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(Configs, "toy"));
        Directory.CreateDirectory(Path.Combine(Configs, "base"));
        File.WriteAllText(Path.Combine(Configs, "toy", "tiny.yaml"), TinyRuns.LanguageModel.Replace("epochs: 4", "epochs: 2", StringComparison.Ordinal) + Reference);
        File.WriteAllText(Path.Combine(Configs, "base", "shared.yaml"), "seed: 5\n");
    }

    private (int code, string stdout, string stderr) Reproduce(params string[] args) =>
        TinyRuns.InProcess(["reproduce", .. args, "--configs", Configs, "--docs", Docs, "--runs-dir", RunsDir]);

    [Fact]
    public void RunsRecordsAndRegeneratesTheReport()
    {
        var (code, stdout, stderr) = Reproduce("toy/tiny");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("toy/tiny: test.perplexity", stdout, StringComparison.Ordinal);

        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "results", "toy", "tiny.json"))).RootElement;
        Assert.Equal("toy/tiny", record.GetProperty("name").GetString());
        Assert.Equal(2, record.GetProperty("epochs").GetInt32());
        Assert.StartsWith("research reproduce toy/tiny", record.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Docs, "results", "toy", "tiny.png")));

        var report = File.ReadAllText(Path.Combine(Docs, "results.md"));
        Assert.Contains("## Tiny", report, StringComparison.Ordinal);
        Assert.Contains("| toy/tiny ", report, StringComparison.Ordinal);
        Assert.Contains("[curve](results/toy/tiny.png)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("**not run**", report, StringComparison.Ordinal);

        // --report regenerates the same text from the records alone.
        File.Delete(Path.Combine(Docs, "results.md"));
        Assert.Equal(0, Reproduce("--report").code);
        Assert.Equal(report, File.ReadAllText(Path.Combine(Docs, "results.md")));
        var list = Reproduce("--list").stdout;
        Assert.Contains("| toy/tiny ", list, StringComparison.Ordinal);
        Assert.DoesNotContain("| no ", list, StringComparison.Ordinal);
    }

    [Fact]
    public void AWholeTextRunIsJudgedOnItsTrainingLossBesideAPublishedCurve()
    {
        var text = Path.Combine(_root, "verse.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("shall i compare thee\nto a summer's day?\n", 40)));
        File.WriteAllText(Path.Combine(Configs, "toy", "whole.yaml"), $$"""
            experiment: whole
            task: language_model
            data: {path: "{{text.Replace("\\", "/", StringComparison.Ordinal)}}", level: char, train_fraction: 1.0, newlines_to_spaces: true}
            model: {input: one_hot, hidden_size: 8, layers: 1, init: keras}
            train: {epochs: 2, batch_size: 8, bptt: 10, optimizer: rms_prop, lr: 0.01, eps: 1.0e-7, eps_inside_sqrt: true, log_every: 5}
            reference:
              source: "a tiny curve"
              metric: train.loss
              split: train
              published_curve: {"1": 9.5, "2": 8.5, "40": 1.0}
              group: Tiny
            """);
        var (code, stdout, stderr) = Reproduce("toy/whole");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("no held-out split: last epoch's training loss", stdout, StringComparison.Ordinal);

        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "results", "toy", "whole.json"))).RootElement;
        var curve = record.GetProperty("curve_at_published_epochs");
        Assert.Equal(["1", "2"], curve.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(record.GetProperty("value").GetDouble(), curve.GetProperty("2").GetDouble());
        var report = File.ReadAllText(Path.Combine(Docs, "results.md"));
        var ours1 = curve.GetProperty("1").GetDouble().ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"training loss by epoch, published / ours: 1: 9.5 / {ours1}, 2: 8.5 / ", report, StringComparison.Ordinal);
        Assert.Contains(", 40: 1 / —", report, StringComparison.Ordinal);
        Assert.Contains("| train.loss (train) ", report, StringComparison.Ordinal);
    }

    [Fact]
    public void NotRunRowsShowTheEstimateAndTheCommand()
    {
        Assert.Equal(0, Reproduce("--report").code);
        var report = File.ReadAllText(Path.Combine(Docs, "results.md"));
        Assert.Contains("**not run**", report, StringComparison.Ordinal);
        Assert.Contains("est. 1 min", report, StringComparison.Ordinal);
        Assert.Contains("`research reproduce toy/tiny`", report, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunMadeWithTheSameProtocolCanBeRecordedAndADifferentOneCannot()
    {
        var config = Path.Combine(Configs, "toy", "tiny.yaml");
        Assert.Equal(0, TinyRuns.InProcess("train", config, "threads=1", "--runs-dir", RunsDir).code);
        var run = TinyRuns.OnlyRun(RunsDir);
        var (code, stdout, stderr) = Reproduce("toy/tiny", "--from-run", run);
        Assert.True(code == 0, stderr + stdout);
        Assert.True(File.Exists(Path.Combine(Docs, "results", "toy", "tiny.json")));

        var other = Path.Combine(_root, "other");
        Assert.Equal(0, TinyRuns.InProcess("train", config, "train.lr=0.02", "--runs-dir", other).code);
        var refused = Reproduce("toy/tiny", "--from-run", TinyRuns.OnlyRun(other));
        Assert.Equal(2, refused.code);
        Assert.Contains("lr: 0.02", refused.stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNamesAndBadCombinationsAreOneLineErrors()
    {
        var (code, _, stderr) = Reproduce("toy/tiyn");
        Assert.Equal(2, code);
        Assert.Contains("did you mean toy/tiny?", stderr, StringComparison.Ordinal);
        Assert.Equal(2, Reproduce("base/shared").code);
        Assert.Equal(2, Reproduce().code);
        Assert.Equal(2, Reproduce("toy/tiny", "--all").code);
    }

    [Fact]
    public void TheBudgetSkipsWhatDoesNotFit()
    {
        var (code, stdout, _) = Reproduce("--all", "--max-minutes", "0.5");
        Assert.Equal(0, code);
        Assert.Contains("skipping toy/tiny: estimated 1 min", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RunsDir));
    }

    [Fact]
    public void ASweepOnAProtocolRecordsTheTrialThatFollowsItAndTheSpreadOverSeeds()
    {
        // 2 learning rates x 2 seeds on toy/tiny's protocol: only lr 0.01 with seed 3 is toy/tiny itself.
        var sweepFile = Path.Combine(_root, "toy-lr.yaml");
        File.WriteAllText(sweepFile, "name: toy-lr\nbase: configs/toy/tiny.yaml\ngrid:\n  train.lr: [0.01, 0.02]\nseeds: [3, 4]\nmetric: best_valid.perplexity\n");
        var sweepDir = Path.Combine(_root, "sweep");
        var (code, stdout, stderr) = TinyRuns.InProcess("sweep", sweepFile, "--out", sweepDir, "--workers", "2");
        Assert.True(code == 0, stderr + stdout);

        (code, stdout, stderr) = Reproduce("--from-sweep", sweepDir);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("sweep toy-lr: 1 trial(s) recorded as reproductions; 2 settings over seeds", stdout, StringComparison.Ordinal);
        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "results", "toy", "tiny.json"))).RootElement;
        Assert.Equal($"research sweep {Path.Combine(sweepDir, "sweep.yaml")} (trial 000)", record.GetProperty("command").GetString());
        var trial0 = JsonDocument.Parse(File.ReadAllText(Path.Combine(sweepDir, "trials", "000", "summary.json"))).RootElement;
        Assert.Equal(trial0.GetProperty("test").GetProperty("perplexity").GetDouble(), record.GetProperty("value").GetDouble());

        // The report shows the sweep under toy/tiny's group: ranked by the validation perplexity, with the test
        // perplexity the protocol reports beside it, each the mean and sample std of the setting's seeds.
        string MeanStd(string split)
        {
            var values = Enumerable.Range(0, 2).Select(t => JsonDocument.Parse(File.ReadAllText(Path.Combine(sweepDir, "trials", $"{t:D3}", "summary.json")))
                .RootElement.GetProperty(split).GetProperty("perplexity").GetDouble()).ToArray();
            var mean = (values[0] + values[1]) / 2;
            var std = Math.Abs(values[0] - values[1]) / Math.Sqrt(2);
            return $"{mean.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} ± {std.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}";
        }
        var report = File.ReadAllText(Path.Combine(Docs, "results.md"));
        var tiny = report.IndexOf("## Tiny", StringComparison.Ordinal);
        var section = report.IndexOf("### Over seeds: sweep `toy-lr` (best_valid.perplexity, lower is better)", StringComparison.Ordinal);
        Assert.True(tiny >= 0 && section > tiny, report);
        var row = report.Split('\n').Single(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("| 0.01 ", StringComparison.Ordinal));
        Assert.Contains($"| 2/2   | {MeanStd("best_valid")}", row, StringComparison.Ordinal);
        Assert.Equal(MeanStd("test"), row.Split('|', StringSplitOptions.TrimEntries)[^2]);

        // Recording again changes nothing; a record made elsewhere is kept.
        Assert.Equal(0, Reproduce("--from-sweep", sweepDir).code);
        Assert.Equal(report, File.ReadAllText(Path.Combine(Docs, "results.md")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
