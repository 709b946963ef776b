using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class OverrideTests
{
    private const string Yaml = "data:\n  name: ptb\ntrain:\n  lr: 1.0\n";

    private static SampleConfig Load(params string[] overrides) => ConfigLoader.LoadFromString<SampleConfig>(Yaml, overrides).Value;

    private static string Error(params string[] overrides) => ConfigError.Of(() => ConfigLoader.LoadFromString<SampleConfig>(Yaml, overrides));

    [Fact]
    public void NestedKeysOverFileAndDefaults()
    {
        var c = Load("train.lr=0.5", "model.layers=3", "data.name=wt2", "model.tied=true", "model.embedding_size=200");

        Assert.Equal((0.5, 3, "wt2", true), (c.Train.Lr, c.Model.Layers, c.Data.Name, c.Model.Tied));
    }

    [Fact]
    public void LastOverrideWins()
    {
        Assert.Equal(0.3, Load("train.lr=0.5", "train.lr=0.3").Train.Lr);
    }

    [Fact]
    public void ListsEnumsAndNullables()
    {
        var c = Load("train.milestones=[5,10,20]", "train.schedule=reduce_on_plateau", "train.clip_norm=null", "train.seed=7",
            "data.shuffle_schedule=cosine", "train.devices=[cuda:0, cuda:1]", "train.betas=[0.8,0.99]", "note=");

        Assert.Equal([5, 10, 20], c.Train.Milestones);
        Assert.Equal(Schedule.ReduceOnPlateau, c.Train.Schedule);
        Assert.Null(c.Train.ClipNorm);
        Assert.Equal(7, c.Train.Seed);
        Assert.Equal(Schedule.Cosine, c.Data.ShuffleSchedule);
        Assert.Equal(["cuda:0", "cuda:1"], c.Train.Devices);
        Assert.Equal([0.8, 0.99], c.Train.Betas);
        Assert.Null(c.Note);
    }

    [Fact]
    public void FreeFormSectionTakesNewKeys()
    {
        var c = Load("reference.ppl=82.7", "tags.owner=ada");

        Assert.Equal(82.7, c.Reference["ppl"]);
        Assert.Equal("ada", c.Tags["owner"]);
    }

    [Fact]
    public void OverridesAreKeptAsGiven()
    {
        var loaded = ConfigLoader.LoadFromString<SampleConfig>(Yaml, ["train.lr=0.5", "model.layers=3"]);

        Assert.Equal(["train.lr=0.5", "model.layers=3"], loaded.Overrides);
        Assert.Equal("- \"train.lr=0.5\"\n- \"model.layers=3\"\n", loaded.OverridesYaml);
    }

    [Theory]
    [InlineData("train.lr", "override train.lr: expected key=value, e.g. train.lr=0.1")]
    [InlineData("=3", "override =3: expected key=value, e.g. train.lr=0.1")]
    [InlineData("train..lr=1", "override train..lr=1: 'train..lr' is not a dotted key like train.lr")]
    [InlineData("+train.warmup=5", "override +train.warmup=5: adding (+key) or deleting (~key) keys is not supported; set a key the settings declare")]
    [InlineData("model.hiden=3", "override model.hiden=3: unknown key (did you mean model.hidden?)")]
    [InlineData("modle.hidden=3", "override modle.hidden=3: modle: unknown key (did you mean model?)")]
    [InlineData("train.lr=abc", "override train.lr=abc: expected a number, got 'abc'")]
    [InlineData("model.layers=2.5", "override model.layers=2.5: expected an integer, got '2.5'")]
    [InlineData("model.layers=null", "override model.layers=null: expected an integer, got null")]
    [InlineData("model.tied=yes", "override model.tied=yes: expected true or false, got 'yes'")]
    [InlineData("train.schedule=cosin", "override train.schedule=cosin: expected one of constant, cosine, reduce_on_plateau, got 'cosin'")]
    [InlineData("train.milestones=[5,x]", "override train.milestones=[5,x]: train.milestones[1]: expected an integer, got 'x'")]
    [InlineData("train.milestones=5", "override train.milestones=5: expected a list, got '5'")]
    [InlineData("model=3", "override model=3: expected a mapping, got '3'")]
    [InlineData("train.lr=[1", "override train.lr=[1: ")]
    public void BadOverridesSayWhichAndWhy(string given, string message)
    {
        var error = Error(given);
        if (message.EndsWith(": ", StringComparison.Ordinal))
            Assert.StartsWith(message, error, StringComparison.Ordinal);
        else
            Assert.Equal(message, error);
    }
}
