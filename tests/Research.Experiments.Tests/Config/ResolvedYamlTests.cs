using Research.Experiments.Cli;
using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class ResolvedYamlTests : IDisposable
{
    private readonly ConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void EveryKeyInDeclarationOrderWithDefaultsFilledIn()
    {
        var loaded = ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}\nreference: {ppl: 82.7, bleu: 1}\n", ["train.schedule=reduce_on_plateau"]);

        Assert.Equal("""
            model:
              layers: 2
              hidden: 200
              embedding_size: 200
              tied: false
              dropout: 0.0
              init_scale: 0.1
            train:
              lr: 1.0
              batch_size: 20
              epochs: 40
              steps: 100000
              schedule: reduce_on_plateau
              milestones: [5, 10]
              clip_norm: 0.25
              seed: null
              devices: [cpu]
              betas: [0.9, 0.999]
            data:
              name: ptb
              path: null
              shuffle_schedule: null
            phases: []
            reference:
              bleu: 1.0
              ppl: 82.7
            tags: {}
            note: null

            """.ReplaceLineEndings("\n"), loaded.ResolvedYaml);
    }

    [Fact]
    public void RoundTripGivesTheSameTextAndHash()
    {
        var leaf = _folder.Write("leaf.yaml",
            "model: {layers: 3, tied: true, hidden: 650, embedding_size: 650}",
            "train: {lr: 20, milestones: [], devices: ['cuda:0', 'a, b', 'it''s'], seed: 1, betas: [.inf, -0.0]}",
            "data: {name: '007', path: 'null'}",
            "phases: [{name: warm, epochs: 2}, {name: 'yes'}]",
            "tags: {'~': tilde, long: \"a: b # c\"}",
            "note: \"two\\nlines\"");
        var first = ConfigLoader.Load<SampleConfig>(leaf, ["train.schedule=cosine", "train.clip_norm=null"]);

        var again = ConfigLoader.LoadFromString<SampleConfig>(first.ResolvedYaml);

        Assert.Equal(first.ResolvedYaml, again.ResolvedYaml);
        Assert.Equal(first.Hash, again.Hash);
        Assert.Equal(64, first.Hash.Length);
        Assert.Equal(("007", "null", "two\nlines"), (again.Value.Data.Name, again.Value.Data.Path, again.Value.Note));
        Assert.Equal(["cuda:0", "a, b", "it's"], again.Value.Train.Devices);
        Assert.Equal("yes", again.Value.Phases[1].Name);
        Assert.Equal("a: b # c", again.Value.Tags["long"]);
        Assert.Contains("note: \"two\\nlines\"\n", first.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("  \"~\": tilde\n", first.ResolvedYaml, StringComparison.Ordinal);
        Assert.Null(again.Value.Train.ClipNorm);
    }

    [Fact]
    public void SameConfigWrittenDifferentlyHashesAlike()
    {
        var a = ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}\ntrain: {lr: 1.0}\nreference: {a: 1, b: 2}\n");
        var b = ConfigLoader.LoadFromString<SampleConfig>("reference: {b: 2, a: 1}\ndata:\n  name: ptb\n", ["train.lr=1"]);
        var c = ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}\n", ["train.lr=0.9"]);

        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
    }

    [Fact]
    public void WritesConfigAndOverridesIntoTheRunFolder()
    {
        var loaded = ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}\n", ["train.lr=0.5", "note=it's \"quoted\""]);
        var run = Path.Combine(_folder.Root, "runs", "1");

        loaded.WriteTo(run);

        var saved = ConfigLoader.Load<SampleConfig>(Path.Combine(run, "config.yaml"));
        Assert.Equal(loaded.ResolvedYaml, saved.ResolvedYaml);
        Assert.Equal("it's \"quoted\"", saved.Value.Note);
        var overrides = new YamlDotNet.Serialization.Deserializer().Deserialize<List<string>>(File.ReadAllText(Path.Combine(run, "overrides.yaml")));
        Assert.Equal(loaded.Overrides, overrides);
    }

    [Fact]
    public void CliPrintsAConfigErrorOnOneLineWithExitCode2()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var overrides = TypedOptions.Many("OVERRIDES", "key.sub=value");
        var loading = Verb.Create("train", "loads a config", (args, _) =>
        {
            ConfigLoader.LoadFromString<SampleConfig>("data: {name: ptb}", args.GetValue(overrides)!);
            return 0;
        }, overrides);

        var code = CommandLineApp.Run([loading], ["train", "model.hiden=3"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal("research train: error: override model.hiden=3: unknown key (did you mean model.hidden?)\n", stderr.ToString().ReplaceLineEndings("\n"));
    }
}
