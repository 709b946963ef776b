using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class BindingTests : IDisposable
{
    private readonly ConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string FileError(params string[] lines)
    {
        var path = _folder.Write("ptb.yaml", lines);
        return ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(path)).Replace(path, "ptb.yaml", StringComparison.Ordinal);
    }

    [Fact]
    public void UnsetKeysKeepTheClassDefaults()
    {
        var c = ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}").Value;

        Assert.Equal((2, 200, 0.1f, 20, 0.25), (c.Model.Layers, c.Model.Hidden, c.Model.InitScale, c.Train.BatchSize, c.Train.ClipNorm));
        Assert.Equal([5, 10], c.Train.Milestones);
        Assert.Null(c.Data.Path);
    }

    [Fact]
    public void EveryKindOfValueBinds()
    {
        var c = ConfigLoader.LoadFromString<SampleConfig>("""
            model: {layers: 4, init_scale: 0.05, tied: true, embedding_size: 200, dropout: 0.5}
            train:
              steps: 10000000000
              schedule: ReduceOnPlateau
              clip_norm: ~
              devices: []
              betas: [0.5, .inf]
            data: {name: "123", path: /data/ptb}
            phases:
              - {name: warm, epochs: 2}
              - name: main
            reference: {ppl: 82.7, layers: 2}
            tags: {owner: ada, year: 2014}
            note: "null"
            """).Value;

        Assert.Equal((4, 0.05f, true, 0.5), (c.Model.Layers, c.Model.InitScale, c.Model.Tied, c.Model.Dropout));
        Assert.Equal((10_000_000_000L, Schedule.ReduceOnPlateau, (double?)null), (c.Train.Steps, c.Train.Schedule, c.Train.ClipNorm));
        Assert.Empty(c.Train.Devices);
        Assert.Equal([0.5, double.PositiveInfinity], c.Train.Betas);
        Assert.Equal(("123", "/data/ptb"), (c.Data.Name, c.Data.Path));
        Assert.Equal([("warm", 2), ("main", 1)], c.Phases.Select(p => (p.Name, p.Epochs)));
        Assert.Equal(new Dictionary<string, double> { ["ppl"] = 82.7, ["layers"] = 2 }, c.Reference);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "ada", ["year"] = "2014" }, c.Tags);
        Assert.Equal("null", c.Note);
    }

    [Fact]
    public void UnknownKeySuggestsTheNearestWithItsFullPath()
    {
        Assert.Equal("ptb.yaml:4: model.hiden: unknown key (did you mean model.hidden?)",
            FileError("data: {name: ptb}", "model:", "  layers: 2", "  hiden: 650"));
    }

    [Fact]
    public void PascalCaseKeySuggestsItsSnakeCase()
    {
        Assert.Equal("ptb.yaml:2: train.BatchSize: unknown key (did you mean train.batch_size?)", FileError("data: {name: ptb}", "train: {BatchSize: 2}"));
    }

    [Fact]
    public void UnsupportedPropertyTypeIsAProgrammingError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ConfigLoader.LoadFromString<WithTimeout>("name: x"));

        Assert.StartsWith("WithTimeout.Timeout: TimeSpan is not a config type", e.Message, StringComparison.Ordinal);
    }

    public sealed class WithTimeout
    {
        public string Name { get; set; } = "";

        public TimeSpan Timeout { get; set; }
    }

    [Fact]
    public void UnknownTopLevelKeyWithoutSuggestion()
    {
        Assert.Equal("ptb.yaml:2: optimizer: unknown key", FileError("data: {name: ptb}", "optimizer: sgd"));
    }

    [Fact]
    public void UnknownKeyInAListOfSections()
    {
        Assert.Equal("ptb.yaml:3: phases[0].epoch: unknown key (did you mean phases[0].epochs?)",
            FileError("data: {name: ptb}", "phases:", "  - epoch: 3"));
    }

    [Theory]
    [InlineData("train: {lr: fast}", "ptb.yaml:2: train.lr: expected a number, got 'fast'")]
    [InlineData("train: {lr: [1]}", "ptb.yaml:2: train.lr: expected a number, got a list")]
    [InlineData("model: 3", "ptb.yaml:2: model: expected a mapping, got '3'")]
    [InlineData("model: ~", "ptb.yaml:2: model: expected a mapping, got null")]
    [InlineData("reference: {ppl: high}", "ptb.yaml:2: reference.ppl: expected a number, got 'high'")]
    [InlineData("train: {schedule: step}", "ptb.yaml:2: train.schedule: expected one of constant, cosine, reduce_on_plateau, got 'step'")]
    [InlineData("train: {milestones: [1, {a: 1}]}", "ptb.yaml:2: train.milestones[1]: expected an integer, got a mapping")]
    public void WrongTypeNamesLineAndKey(string line, string message)
    {
        Assert.Equal(message, FileError("data: {name: ptb}", line));
    }

    [Fact]
    public void MissingRequiredKeyNamesTheFileAsked()
    {
        Assert.Equal("ptb.yaml: missing required key data.name", FileError("data:", "  path: /data"));
        Assert.Equal("ptb.yaml: missing required key data.name", FileError("model: {layers: 2}"));
    }

    [Fact]
    public void MissingRequiredKeyFromAString()
    {
        Assert.Equal("<string>: missing required key data.name", ConfigError.Of(() => ConfigLoader.LoadFromString<SampleConfig>("")));
    }
}
