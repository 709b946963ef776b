using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class ValidationTests : IDisposable
{
    private readonly ConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string FileError(string[] lines, params string[] overrides)
    {
        var path = _folder.Write("ptb.yaml", lines);
        return ConfigError.Of(() => ConfigLoader.Load<SampleConfig>(path, overrides)).Replace(path, "ptb.yaml", StringComparison.Ordinal);
    }

    [Fact]
    public void CrossFieldRuleReportsTheKeyPathAtItsLine()
    {
        Assert.Equal("ptb.yaml:4: model.tied: requires model.embedding_size == model.hidden",
            FileError(["data: {name: ptb}", "model:", "  hidden: 650", "  tied: true"]));
    }

    [Fact]
    public void RuleOnAKeySetByAnOverrideNamesTheOverride()
    {
        Assert.Equal("override model.tied=true: requires model.embedding_size == model.hidden",
            FileError(["data: {name: ptb}", "model: {hidden: 650}"], "model.tied=true"));
    }

    [Fact]
    public void RootRuleAcrossSections()
    {
        Assert.Equal("ptb.yaml:2: train.milestones: the last milestone (50) is after train.epochs (40)",
            FileError(["data: {name: ptb}", "train: {milestones: [10, 50]}"]));
    }

    [Theory]
    [InlineData("model: {layers: 9}", "ptb.yaml:2: model.layers: must be between 1 and 8, got 9")]
    [InlineData("model: {hidden: 0}", "ptb.yaml:2: model.hidden: must be at least 1, got 0")]
    [InlineData("model: {dropout: 1.0}", "ptb.yaml:2: model.dropout: must be at least 0 and less than 1, got 1")]
    [InlineData("train: {lr: 0}", "ptb.yaml:2: train.lr: must be greater than 0 and at most 100, got 0")]
    [InlineData("train: {milestones: [3, 0]}", "ptb.yaml:2: train.milestones[1]: must be at least 1, got 0")]
    public void RangeViolations(string line, string message)
    {
        Assert.Equal(message, FileError(["data: {name: ptb}", line]));
    }

    [Fact]
    public void AllProblemsOnOneLine()
    {
        Assert.Equal("ptb.yaml:2: model.layers: must be between 1 and 8, got 0; override train.lr=-1: must be greater than 0 and at most 100, got -1",
            FileError(["data: {name: ptb}", "model: {layers: 0}"], "train.lr=-1"));
    }
}
