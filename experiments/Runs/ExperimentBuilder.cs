using System.Text.Json;
using Research.Data.Registry;
using Research.Data.Synthetic;
using Research.Data.Text;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Runs;

/// <summary>What an experiment was built from: dataset files and checksums, and facts worth reporting beside results.</summary>
public sealed record DataProvenance(string Dataset, IReadOnlyDictionary<string, string> FileSha256, IReadOnlyDictionary<string, double> Facts);

/// <summary>An experiment ready to train: the task, its device and dtype, where its data came from.</summary>
public sealed record BuiltExperiment(ITrainingTask Task, Device Device, ScalarType Dtype, DataProvenance Provenance, LanguageCorpus? Corpus);

/// <summary>Turns validated settings into a task: loads or generates the data, builds the model on the device.</summary>
public static class ExperimentBuilder
{
    /// <summary>Data errors surface here, before any run folder exists.</summary>
    public static BuiltExperiment Build(ExperimentSettings settings)
    {
        TorchRuntime.EnsureLoaded();
        if (settings.Threads > 0)
            set_num_threads(settings.Threads);
        Device device;
        try
        {
            device = TensorOptions.ParseDevice(settings.Device);
        }
        catch (ArgumentException e)
        {
            throw new Config.ConfigException($"device: {e.Message}");
        }
        var dtype = TensorOptions.ParseDtype(settings.Dtype);
        manual_seed(settings.Seed);
        var directories = DataDirectories.FromEnvironment(settings.Data.Dir);
        var d = settings.Data;
        switch (settings.Task)
        {
            case TaskKind.LanguageModel:
                var (corpus, provenance) = LoadCorpus(d, settings.Seed, directories);
                ITrainingTask task = d.Windows.Length > 0
                    ? new LanguageModelWindowsTask(settings, corpus, device, dtype)
                    : new LanguageModelTask(settings, corpus, device, dtype);
                return new BuiltExperiment(task, device, dtype, provenance, corpus);
            case TaskKind.Forecast:
                var frame = ForecastTask.LoadFrame(d, directories);
                return new BuiltExperiment(new ForecastTask(settings, frame, device, dtype), device, dtype, Files(d.Name, directories), null);
            case TaskKind.Music:
                var jsb = DatasetCatalog.Get("jsb_chorales");
                var path = Path.Combine(directories.Locate(jsb), jsb.Files[0].Name);
                return new BuiltExperiment(new SequenceTask(settings, device, dtype, path), device, dtype, Files("jsb_chorales", directories), null);
            default:
                return new BuiltExperiment(new SequenceTask(settings, device, dtype), device, dtype, Generated(settings.Task.ToString()), null);
        }
    }

    /// <summary>Whether a language-model config reads characters (Tiny Shakespeare, or PTB's character files).</summary>
    public static bool IsCharLevel(DataSettings d) => d.Name == "tinyshakespeare" || d.Level == TextLevel.Char;

    /// <summary>The token of every id, in id order, so generation can decode without the corpus.</summary>
    public static void WriteVocabulary(string path, Vocabulary vocabulary) =>
        File.WriteAllText(path, JsonSerializer.Serialize(vocabulary.Tokens));

    public static Vocabulary ReadVocabulary(string path) =>
        new(JsonSerializer.Deserialize<List<string>>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty vocabulary"));

    private static (LanguageCorpus, DataProvenance) LoadCorpus(DataSettings d, int seed, DataDirectories directories)
    {
        if (d.Name == "markov")
        {
            var source = MarkovChainSource.RandomChain(d.Symbols, seed, d.Concentration);
            var tokens = source.ToCorpus(d.TrainTokens, d.EvalTokens, d.EvalTokens, seed);
            var facts = new Dictionary<string, double> { ["entropy_rate_nats"] = source.EntropyRate, ["entropy_rate_bits"] = source.EntropyRateBits };
            return (new LanguageCorpus(tokens.Vocabulary, tokens.Train, tokens.Valid, tokens.Test, CharLevel: false),
                new DataProvenance("markov", new Dictionary<string, string>(), facts));
        }
        var spec = DatasetCatalog.Get(d.Name);
        var dir = directories.Locate(spec);
        var provenance = Files(d.Name, directories);
        switch (d.Name, d.Level)
        {
            case ("tinyshakespeare", _):
                // Valid and test share what train leaves (with valid taking all of it the test split was empty and every run failed).
                var chars = CharCorpus.FromFile(Path.Combine(dir, "input.txt"), d.TrainFraction, (1 - d.TrainFraction) / 2, d.LowerCase);
                return (new LanguageCorpus(chars.Vocabulary, chars.Train, chars.Valid, chars.Test, IsCharLevel(d)), provenance);
            case ("ptb", TextLevel.Char):
                // Mikolov's character files: one symbol per space-separated token, '_' between words.
                var ptbChars = TokenCorpus.Load(Path.Combine(dir, "ptb.char.train.txt"), Path.Combine(dir, "ptb.char.valid.txt"), Path.Combine(dir, "ptb.char.test.txt"));
                return (new LanguageCorpus(ptbChars.Vocabulary, ptbChars.Train, ptbChars.Valid, ptbChars.Test, CharLevel: true), provenance);
            case ("ptb", TextLevel.Word):
                var ptb = TokenCorpus.LoadPtb(dir);
                return (new LanguageCorpus(ptb.Vocabulary, ptb.Train, ptb.Valid, ptb.Test, CharLevel: false), provenance);
            case ("wikitext-2", _):
                var wiki = TokenCorpus.LoadWikiText(dir);
                return (new LanguageCorpus(wiki.Vocabulary, wiki.Train, wiki.Valid, wiki.Test, CharLevel: false), provenance);
            default:
                throw new Research.Data.DataException($"dataset '{d.Name}' is not a text corpus (use ptb, wikitext-2, tinyshakespeare or markov)");
        }
    }

    private static DataProvenance Files(string name, DataDirectories directories)
    {
        if (name == "sine")
            return Generated(name);
        var spec = DatasetCatalog.Get(name);
        var dir = directories.Locate(spec);
        return new DataProvenance(name, spec.Files.ToDictionary(f => f.Name, f => FileChecksum.Sha256(Path.Combine(dir, f.Name))), new Dictionary<string, double>());
    }

    private static DataProvenance Generated(string name) => new(name, new Dictionary<string, string>(), new Dictionary<string, double>());
}
