using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>Sweep files: the order trials come in, ranges, bundles, random draws under the sweep seed, and errors that name file:line and key.</summary>
public sealed class SweepExpansionTests : IDisposable
{
    private readonly SweepFixtures _files = new();

    [Fact]
    public void GridTrialsComeFirstAxisSlowestWithSeedsInnermost()
    {
        var plan = Expand("""
            base: tiny.yaml
            grid:
              train.lr: [0.1, 0.01]
              model.hidden_size: {range: [4, 10, 3]}
            seeds: [5, 6]
            metric: test.loss
            """);
        Assert.Equal(8, plan.Trials.Count);
        Assert.Equal(4, plan.Settings);
        Assert.Equal(
            ["train.lr=0.1 model.hidden_size=4 seed=5", "train.lr=0.1 model.hidden_size=4 seed=6", "train.lr=0.1 model.hidden_size=7 seed=5",
             "train.lr=0.1 model.hidden_size=7 seed=6", "train.lr=0.01 model.hidden_size=4 seed=5", "train.lr=0.01 model.hidden_size=4 seed=6",
             "train.lr=0.01 model.hidden_size=7 seed=5", "train.lr=0.01 model.hidden_size=7 seed=6"],
            plan.Trials.Select(t => string.Join(' ', t.Overrides)));
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], plan.Trials.Select(t => t.Setting));
        Assert.Equal(Enumerable.Range(0, 8), plan.Trials.Select(t => t.Id));
    }

    [Fact]
    public void DecimalRangesExcludeTheStopAndAvoidDrift()
    {
        var plan = Expand("""
            base: tiny.yaml
            grid:
              train.lr: {range: [0.1, 0.5, 0.1]}
            metric: test.loss
            """);
        Assert.Equal(["0.1", "0.2", "0.3", "0.4"], plan.Trials.Select(t => t.Labels[0].Value));
        // No seeds: one trial per setting, with the base config's seed and no seed override.
        Assert.All(plan.Trials, t => Assert.Equal(3, t.Seed));
        Assert.DoesNotContain(plan.Trials.SelectMany(t => t.Overrides), o => o.StartsWith("seed=", StringComparison.Ordinal));
    }

    [Fact]
    public void BundlesSetSeveralKeysUnderOneLabel()
    {
        var plan = Expand("""
            base: tiny.yaml
            grid:
              variant:
                lstm: {model.cell: lstm, model.hidden_size: 34}
                gru: {model: {cell: gru, hidden_size: 41}}
            seeds: [1]
            metric: test.loss
            """);
        Assert.Equal(["lstm", "gru"], plan.Trials.Select(t => t.Labels.Single(l => l.Key == "variant").Value));
        Assert.Equal(["model.cell=gru", "model.hidden_size=41", "seed=1"], plan.Trials[1].Overrides);
    }

    [Fact]
    public void RandomDrawsAreReproducibleUnderTheSweepSeedAndStayInRange()
    {
        const string Yaml = """
            base: tiny.yaml
            random:
              train.lr: {log_uniform: [0.0001, 0.1]}
              model.hidden_size: {choice: [8, 16]}
            samples: 20
            seed: 7
            metric: test.loss
            """;
        var first = Expand(Yaml).Trials.Select(t => string.Join(' ', t.Overrides)).ToList();
        Assert.Equal(first, Expand(Yaml).Trials.Select(t => string.Join(' ', t.Overrides)));
        Assert.NotEqual(first, Expand(Yaml.Replace("seed: 7", "seed: 8", StringComparison.Ordinal)).Trials.Select(t => string.Join(' ', t.Overrides)));
        var lrs = Expand(Yaml).Trials.Select(t => double.Parse(t.Labels[0].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(lrs, lr => Assert.InRange(lr, 0.0001, 0.1));
        // Log-uniform: about as many draws below the geometric middle (0.00316) as above.
        Assert.InRange(lrs.Count(lr => lr < 0.00316), 4, 16);
        Assert.Equal(20, lrs.Distinct().Count());
    }

    [Fact]
    public void ATypoInAConfigKeyNamesTheSweepFileLineAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => Expand("""
            base: tiny.yaml
            grid:
              train.lr: [0.1]
              model.hiden_size: [4, 8]
            metric: test.loss
            """));
        Assert.StartsWith($"{_files.Path("sweep.yaml")}:4: grid.model.hiden_size:", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadValueForAKnownKeyIsCaughtBeforeAnythingRuns()
    {
        var e = Assert.Throws<ConfigException>(() => Expand("""
            base: tiny.yaml
            overrides:
              train.epochs: 1
            grid:
              train.lr: [0.1, fast]
            metric: test.loss
            """));
        Assert.StartsWith($"{_files.Path("sweep.yaml")}:5: grid.train.lr:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gird:\n  train.lr: [0.1]", ":2: gird: unknown sweep key (did you mean grid?)")]
    [InlineData("mode: lowest", ":2: mode: must be min or max")]
    [InlineData("random:\n  train.lr: {uniform: [0.1, 0.2]}", "random: random search needs samples")]
    [InlineData("grid:\n  seed: [1, 2]\nseeds: [1]", "grid.seed: sets seed, which seeds sets too")]
    [InlineData("slurm:\n  cpus: 2", ":3: slurm.cpus: unknown sweep key")]
    [InlineData("random:\n  train.lr: {log_uniform: [0, 1]}\nsamples: 2", "needs low < high and low > 0")]
    public void MistakesInTheSweepFileItselfAreOneLineErrors(string extra, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Expand("base: tiny.yaml\n" + extra + "\nmetric: test.loss\n"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(_files.Path("sweep.yaml"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeMaxRanksHigherFirst()
    {
        var file = SweepFileParser.Parse("base: x.yaml\nmetric: test.accuracy\nmode: max\n", "s.yaml");
        Assert.Equal(MetricDirection.Higher, file.Mode);
    }

    [Fact]
    public void TheExampleSweepsInConfigsExpand()
    {
        var root = Runs.TinyRuns.RepositoryRoot;
        var cells = SweepExpansion.Expand(SweepFileParser.Load(Path.Combine(root, "configs", "sweeps", "jsb-cells.yaml")));
        Assert.Equal(9, cells.Trials.Count);
        Assert.Equal(["lstm", "gru", "rnn_tanh"], cells.Trials.Where(t => t.Seed == 1).Select(t => t.Labels[0].Value));
        var lr = SweepExpansion.Expand(SweepFileParser.Load(Path.Combine(root, "configs", "sweeps", "quickstart-lr.yaml")));
        Assert.Equal(6, lr.Trials.Count);
    }

    public void Dispose() => _files.Dispose();

    private SweepPlan Expand(string yaml) => SweepExpansion.Expand(SweepFileParser.Load(_files.Sweep(yaml)));
}
