using Research.Experiments.Reproduction;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Reproduction;

/// <summary>Every config in configs/repro parses, carries a usable reference block, and `reproduce --list` shows it.</summary>
public sealed class ReproductionCatalogTests : IDisposable
{
    private static readonly string Repro = Path.Combine(TinyRuns.RepositoryRoot, "configs", "repro");
    private readonly string _docs = Directory.CreateTempSubdirectory("research-repro-docs").FullName;

    [Fact]
    public void EveryReproductionConfigParsesWithAReference()
    {
        var entries = ReproductionCatalog.Load(Repro);
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var r = entry.Reference;
            Assert.False(string.IsNullOrWhiteSpace(r.Source), $"{entry.Name}: reference.source");
            Assert.Contains('.', r.Metric!);
            Assert.True(r.Published is not null || r.Threshold is not null || r.Metric!.Length > 0, entry.Name);
            if (r.CompareWith is { } other)
                Assert.Contains(entries, e => e.Name == other);
        }
        Assert.Equal(entries.Count, entries.Select(e => e.Config.Value.Experiment).Distinct().Count());
    }

    [Fact]
    public void ListCoversEveryConfig()
    {
        var (code, stdout, stderr) = TinyRuns.InProcess("reproduce", "--list", "--configs", Repro, "--docs", _docs);
        Assert.True(code == 0, stderr);
        foreach (var name in ReproductionCatalog.Names(Repro))
            Assert.Contains($"| {name} ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("base/", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRecordedResultsReportIsTheGeneratedOne()
    {
        // docs/results.md is regenerated from the configs, docs/results/*.json and docs/results/sweeps/*.json: a hand edit shows up here.
        var committed = File.ReadAllText(Path.Combine(TinyRuns.RepositoryRoot, "docs", "results.md"));
        var entries = ReproductionCatalog.Load(Repro);
        var records = Path.Combine(TinyRuns.RepositoryRoot, "docs", ResultsReport.RecordsFolder);
        var regenerated = ResultsReport.Render(entries, name => ReproductionRecord.TryRead(records, name), SweepRecord.ReadAll(records));
        Assert.Equal(regenerated, committed);
    }

    [Fact]
    public void LibTorchRetriesShowBesideTheirRecordOnlyWhenThereWereAny()
    {
        var entry = ReproductionCatalog.Load(Repro)[0];
        var record = new ReproductionRecord(entry.Name, entry.ConfigPath, "test.loss", 1.0, 1, 60, "2026-12-05T00:00:00Z", "cmd", "hw", "abc",
            "run", null, new Dictionary<string, double>(), new Dictionary<string, double>(), LibTorchRetries: 2);
        Assert.Contains("libtorch retries: 2", ResultsReport.Render([entry], _ => record), StringComparison.Ordinal);
        Assert.DoesNotContain("libtorch retries", ResultsReport.Render([entry], _ => record with { LibTorchRetries = 0 }), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_docs, recursive: true);
}
