using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Sources;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sources;

/// <summary>Which source each task reads: the faults of the name literals this replaced are each pinned here.</summary>
public sealed class ExperimentSourceTests : IDisposable
{
    private readonly OwnDataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static ExperimentSettings Settings(string yaml, params string[] overrides) =>
        ConfigLoader.LoadFromString<ExperimentSettings>(yaml, overrides).Value;

    [Fact]
    public void Adding_and_copying_need_no_name_and_refuse_another_source()
    {
        Assert.Equal(new GeneratedData(Generator.Adding), ExperimentSource.Resolve(Settings("task: adding\n")));
        Assert.Equal(new GeneratedData(Generator.Copying), ExperimentSource.Resolve(Settings("task: copying\ndata: {name: copying}\n")));
        var e = Assert.Throws<DataException>(() => ExperimentSource.Resolve(Settings("task: adding\ndata: {name: ptb}\n")));
        Assert.Equal("task adding generates its own sequences: leave data.name out (or set it to adding)", e.Message);
        // A path is no key of a generated task's data: the binder rejects it and says whose key it is.
        var path = Assert.Throws<ConfigException>(() => Settings("task: adding\ndata: {path: x.txt}\n"));
        Assert.Equal("<string>:2: data.path: unknown key (belongs to tasks language_model, forecast, music)", path.Message);
    }

    [Fact]
    public void Music_reads_the_named_source()
    {
        // A tiny piano-roll file of one's own, in the JSB Chorales layout.
        var json = _files.Write("chorales.json", """{"train": [[[60, 64], [62], [], [64, 67]], [[60], [62]]], "valid": [[[60], [64]]], "test": [[[62], [65], [67]]]}""");
        var (code, stdout, stderr) = TinyRuns.InProcess("train", TinyRuns.WriteConfig(_files.Root, "task: music\nexperiment: tunes\n"), "--runs-dir", _files.Runs,
            $"data.path={json}", "train.epochs=1", "train.batch_size=2", "model.hidden_size=4");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("tunes", TinyRuns.OnlyRun(_files.Runs, "tunes"), StringComparison.Ordinal);

        var e = Assert.Throws<DataException>(() => ExperimentSource.Resolve(Settings("task: music\ndata: {name: markov}\n")));
        Assert.StartsWith("data.name 'markov' is a generator that task music cannot read", e.Message);
        Assert.Equal("jsb_chorales", ExperimentSource.Resolve(Settings("task: music\ndata: {name: jsb_chorales}\n")).Name);
    }

    [Fact]
    public void Sine_follows_the_experiments_seed()
    {
        var d = (SeriesDataSettings)Settings("task: forecast\ndata: {name: sine, sine_rows: 50}\n").Data;
        var directories = DataDirectories.FromEnvironment();
        var source = new GeneratedData(Generator.Sine);
        var one = SeriesLoader.Load(source, d, 1, directories).Frame.Values.ToArray();
        Assert.Equal(one, SeriesLoader.Load(source, d, 1, directories).Frame.Values.ToArray());
        Assert.NotEqual(one, SeriesLoader.Load(source, d, 2, directories).Frame.Values.ToArray());
    }

    [Fact]
    public void The_text_level_comes_from_the_registry_without_a_literal()
    {
        Assert.True(Research.Experiments.Runs.ExperimentBuilder.IsCharLevel(Settings("task: language_model\ndata: {name: tinyshakespeare}\n").Data));
        Assert.False(Research.Experiments.Runs.ExperimentBuilder.IsCharLevel(Settings("task: language_model\ndata: {name: ptb}\n").Data));
        Assert.True(Research.Experiments.Runs.ExperimentBuilder.IsCharLevel(Settings("task: language_model\ndata: {name: ptb, level: char}\n").Data));
        var e = Assert.Throws<DataException>(() => CorpusLoader.Load(new RegisteredData(DatasetCatalog.Get("wikitext-2")),
            (TextDataSettings)Settings("task: language_model\ndata: {name: wikitext-2, level: char}\n").Data, 1, DataDirectories.FromEnvironment(TinyRuns.SharedData)));
        Assert.Equal("dataset 'wikitext-2' has no character level here (it has: word)", e.Message);
    }

    [Fact]
    public void A_task_that_reads_data_needs_a_name_or_a_path()
    {
        var missing = Assert.Throws<DataException>(() => ExperimentSource.Resolve(Settings("task: forecast\n")));
        Assert.Equal("no data: give data.name (a registered dataset or a generator) or data.path (a file or folder of your own)", missing.Message);
        var e = Assert.Throws<ConfigException>(() => Settings("task: forecast\ndata: {name: x, header: true, columns: [a, b]}\n"));
        Assert.Contains("data.columns: names the columns of a headerless file", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ConfigException>(() => Settings("task: forecast\ndata: {name: x, time_column: null}\n"));
        Assert.Contains("data.frequency: the rows are the time index", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ConfigException>(() => Settings("task: forecast\ndata: {name: x, frequency: daily}\n"));
        Assert.Contains("data.frequency: cannot read 'daily' as a step", e.Message, StringComparison.Ordinal);
    }
}
