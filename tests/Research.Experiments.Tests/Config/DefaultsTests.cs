using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class DefaultsTests : IDisposable
{
    private readonly ConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ChainOfBasesDeepMergesMappingsAndReplacesLists()
    {
        _folder.Write("base.yaml",
            "model:",
            "  layers: 1",
            "  hidden: 100",
            "train:",
            "  lr: 1.0",
            "  milestones: [1, 2, 3]",
            "data:",
            "  name: ptb");
        _folder.Write("middle.yaml",
            "defaults: base.yaml",
            "model:",
            "  hidden: 150",
            "train:",
            "  milestones: [7]");
        var leaf = _folder.Write("exp/leaf.yaml",
            "defaults: [../middle.yaml]",
            "model:",
            "  layers: 3");

        var loaded = ConfigLoader.Load<SampleConfig>(leaf);

        var c = loaded.Value;
        Assert.Equal((3, 150, 200), (c.Model.Layers, c.Model.Hidden, c.Model.EmbeddingSize));
        Assert.Equal(1.0, c.Train.Lr);
        Assert.Equal([7], c.Train.Milestones);
        Assert.Equal("ptb", c.Data.Name);
        Assert.Equal([_folder.PathOf("base.yaml"), _folder.PathOf("middle.yaml"), leaf], loaded.Sources);
    }

    [Fact]
    public void LaterDefaultsOverrideEarlierOnesAndTheFileOverridesAll()
    {
        _folder.Write("a.yaml", "train: {lr: 0.1, batch_size: 8}", "data: {name: a}");
        _folder.Write("b.yaml", "train: {lr: 0.2}");
        var leaf = _folder.Write("leaf.yaml", "defaults:", "  - a.yaml", "  - b.yaml", "train:", "  epochs: 30");

        var train = ConfigLoader.Load<SampleConfig>(leaf).Value.Train;

        Assert.Equal((0.2, 8, 30), (train.Lr, train.BatchSize, train.Epochs));
    }

    [Fact]
    public void CycleIsReportedAtTheIncludingLine()
    {
        var a = _folder.Write("a.yaml", "defaults: b.yaml", "data: {name: a}");
        var b = _folder.Write("b.yaml", "# b includes a", "defaults: [a.yaml]");

        Assert.Equal($"{b}:2: defaults: cycle {a} -> {b} -> {a}", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(a)));
    }

    [Fact]
    public void MissingBaseNamesTheIncludingFileAndLine()
    {
        var x = _folder.Write("configs/x.yaml", "data:", "  name: ptb", "defaults: ../base.yaml");

        Assert.Equal($"{x}:3: defaults: file ../base.yaml not found", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void RelativePathsStayRelativeInSourcesAndErrors()
    {
        _folder.Write("base.yaml", "data: {name: ptb}");
        var leaf = Relative(_folder.Write("configs/exp/leaf.yaml", "defaults: ../../base.yaml"));
        var broken = Relative(_folder.Write("configs/x.yaml", "data:", "  name: ptb", "defaults: ../missing.yaml"));

        Assert.Equal([Relative(_folder.PathOf("base.yaml")), leaf], ConfigLoader.Load<SampleConfig>(leaf).Sources);
        Assert.Equal($"{broken}:3: defaults: file ../missing.yaml not found", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(broken)));
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    [Fact]
    public void MissingConfigFile()
    {
        var missing = _folder.PathOf("nope.yaml");

        Assert.Equal($"{missing}: config file not found", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(missing)));
    }

    [Fact]
    public void DefaultsMustBePaths()
    {
        var x = _folder.Write("x.yaml", "defaults: {file: a.yaml}");

        Assert.Equal($"{x}:1: defaults: expected a file path or a list of file paths", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void YamlSyntaxErrorNamesFileAndLine()
    {
        var x = _folder.Write("x.yaml", "data:", "  name: ptb", "model:", "  layers: 2", " hidden: 3");

        Assert.Equal($"{x}:5: while parsing a block mapping, did not find expected key", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void UnclosedFlowListStillNamesALine()
    {
        var x = _folder.Write("x.yaml", "data:", "  name: ptb", "model: [1, 2", "train: {}");

        Assert.Equal($"{x}:3: invalid YAML after this line", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void DuplicateKeyNamesFileAndLine()
    {
        var x = _folder.Write("x.yaml", "data:", "  name: ptb", "  name: wt2");

        Assert.Equal($"{x}:3: data.name: duplicate key", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void DuplicateKeyInAListOfMappings()
    {
        var x = _folder.Write("x.yaml", "data: {name: ptb}", "phases:", "  - name: a", "  - name: b", "    epochs: 1", "    name: c");

        Assert.Equal($"{x}:6: phases[1].name: duplicate key", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void EmptyDefaultsIsNoBase()
    {
        var x = _folder.Write("x.yaml", "defaults:", "data: {name: ptb}");

        Assert.Equal("ptb", ConfigLoader.Load<SampleConfig>(x).Value.Data.Name);
    }

    [Fact]
    public void TopLevelMustBeAMapping()
    {
        var x = _folder.Write("x.yaml", "- model", "- train");

        Assert.Equal($"{x}:1: expected a mapping of keys at the top level, got a list", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void OneDocumentPerFile()
    {
        var x = _folder.Write("x.yaml", "data: {name: a}", "---", "data: {name: b}");

        Assert.Equal($"{x}:3: expected one YAML document, found 2", ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(x)));
    }

    [Fact]
    public void LoadFromStringResolvesDefaultsAgainstTheBaseDirectory()
    {
        _folder.Write("base.yaml", "data: {name: wt2}", "model: {hidden: 64}");

        var loaded = ConfigLoader.LoadFromString<SampleConfig>("defaults: base.yaml\nmodel: {layers: 1}\n", baseDirectory: _folder.Root);

        Assert.Equal(("wt2", 64, 1), (loaded.Value.Data.Name, loaded.Value.Model.Hidden, loaded.Value.Model.Layers));
        Assert.Equal([_folder.PathOf("base.yaml"), "<string>"], loaded.Sources);
    }
}
