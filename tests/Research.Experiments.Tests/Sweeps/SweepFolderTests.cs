using Research.Experiments.Config;
using Research.Experiments.Sweeps;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>The manifest is deterministic and written once; a sweep folder refuses a sweep that would expand differently; errors make no folder.</summary>
public sealed class SweepFolderTests : IDisposable
{
    private const string Yaml = """
        base: tiny.yaml
        grid:
          train.lr: [0.1, 0.01]
        random:
          model.hidden_size: {choice: [8, 12, 16]}
        samples: 2
        seeds: [1, 2]
        metric: test.loss
        """;

    private readonly SweepFixtures _files = new();

    [Fact]
    public void TheManifestIsTheSameTextOnEveryExpansionAndReadsBack()
    {
        var path = _files.Sweep(Yaml);
        var first = SweepExpansion.Expand(SweepFileParser.Load(path));
        var text = SweepManifest.Write(first.Trials);
        Assert.Equal(text, SweepManifest.Write(SweepExpansion.Expand(SweepFileParser.Load(path)).Trials));
        Assert.Equal(8, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var folder = SweepFolder.Prepare(_files.Path("out"), first);
        var read = folder.Trials();
        Assert.Equal(first.Trials.Count, read.Count);
        for (var k = 0; k < read.Count; k++)
        {
            Assert.Equal(first.Trials[k].Overrides, read[k].Overrides);
            Assert.Equal(first.Trials[k].Labels, read[k].Labels);
            Assert.Equal((first.Trials[k].Id, first.Trials[k].Setting, first.Trials[k].Seed), (read[k].Id, read[k].Setting, read[k].Seed));
        }
    }

    [Fact]
    public void ASweepFolderRefusesAChangedSweepButAcceptsTheSameOneAgain()
    {
        var path = _files.Sweep(Yaml);
        SweepFolder.Prepare(_files.Path("out"), SweepExpansion.Expand(SweepFileParser.Load(path)));
        var manifest = File.ReadAllText(_files.Path("out", SweepFolder.ManifestFileName));
        SweepFolder.Prepare(_files.Path("out"), SweepExpansion.Expand(SweepFileParser.Load(path)));

        var changed = _files.Sweep(Yaml.Replace("[0.1, 0.01]", "[0.1, 0.02]", StringComparison.Ordinal), "changed.yaml");
        var e = Assert.Throws<ConfigException>(() => SweepFolder.Prepare(_files.Path("out"), SweepExpansion.Expand(SweepFileParser.Load(changed))));
        Assert.Contains("holds a sweep with other trials (trial 4 differs)", e.Message, StringComparison.Ordinal);

        var fixedChanged = _files.Sweep(Yaml + "\noverrides:\n  train.epochs: 2\n", "fixed.yaml");
        e = Assert.Throws<ConfigException>(() => SweepFolder.Prepare(_files.Path("out"), SweepExpansion.Expand(SweepFileParser.Load(fixedChanged))));
        Assert.Contains("the base config resolves differently", e.Message, StringComparison.Ordinal);
        Assert.Equal(manifest, File.ReadAllText(_files.Path("out", SweepFolder.ManifestFileName)));
    }

    [Fact]
    public void ATypoInASweepKeyExitsWithCode2AndMakesNoFolder()
    {
        var path = _files.Sweep(Yaml.Replace("train.lr:", "train.lrr:", StringComparison.Ordinal));
        var (code, _, stderr) = TinyRuns.InProcess("sweep", path, "--out", _files.Path("out"));
        Assert.Equal(2, code);
        Assert.Contains($"{path}:3: grid.train.lrr:", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_files.Path("out")));
    }

    [Fact]
    public void DryRunPrintsTheManifestAndWritesNothing()
    {
        var (code, stdout, stderr) = TinyRuns.InProcess("sweep", _files.Sweep(Yaml), "--out", _files.Path("out"), "--dry-run");
        Assert.True(code == 0, stderr);
        Assert.Contains("| 007   | 3       | 2    | train.lr=0.01 model.hidden_size=", stdout, StringComparison.Ordinal);
        Assert.Contains("8 trials in 4 settings", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_files.Path("out")));
    }

    public void Dispose() => _files.Dispose();
}
