using System.Text.Json;
using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Data.Text;
using Research.Data.TimeSeries;
using Research.Experiments.Settings;
using Research.Experiments.Sources;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Runs;

/// <summary>An experiment ready to train: the task, its device and dtype, where its data came from.</summary>
public sealed record BuiltExperiment(ITrainingTask Task, Device Device, ScalarType Dtype, DataProvenance Provenance, LanguageCorpus? Corpus);

/// <summary>Turns validated settings into a task: resolves the data source, loads or generates the data, builds the model on the device.</summary>
public static class ExperimentBuilder
{
    /// <summary>Data errors, and a <c>model.init_from</c> file that does not fit the model, surface here, before any run folder exists.</summary>
    public static BuiltExperiment Build(ExperimentSettings settings)
    {
        using var hold = KeepAliveScope.Open(); // loaders chain tensor ops outside any scope: see KeepAliveScope
        return InitialiseFrom(settings, BuildFresh(settings));
    }

    private static BuiltExperiment BuildFresh(ExperimentSettings settings)
    {
        var (device, dtype) = Prepare(settings);
        var source = ExperimentSource.Resolve(settings);
        var directories = DataDirectories.FromEnvironment(settings.Data.Dir);
        switch (settings.Task)
        {
            case TaskKind.LanguageModel:
                var text = settings.For<TextDataSettings, LanguageModelSettings>();
                if (text.Model.DecoderBfloat16 && device.type == DeviceType.CPU && !Reporting.CpuFeatures.Current().HasBFloat16Products)
                    throw new Config.ConfigException("model.decoder_bfloat16: this CPU has no AVX512_BF16 or AMX-BF16, so its bfloat16 products would be slower than float32, not faster");
                var (corpus, provenance) = CorpusLoader.Load(source, text.Data, settings.Seed, directories);
                if (text.Data.Windows.Length == 0)
                    CheckBatches(corpus, text.Train);
                ITrainingTask task = text.Data.Windows.Length > 0
                    ? new LanguageModelWindowsTask(text, corpus, device, dtype)
                    : new LanguageModelTask(text, corpus, device, dtype);
                return new BuiltExperiment(task, device, dtype, provenance, corpus);
            case TaskKind.Forecast:
                var forecast = settings.For<SeriesDataSettings, ForecasterSettings>();
                var (frame, series) = SeriesLoader.Load(source, forecast.Data, settings.Seed, directories);
                return new BuiltExperiment(new ForecastTask(forecast, frame, device, dtype), device, dtype, series, null);
            case TaskKind.Music:
                var music = settings.For<MusicDataSettings, ModelSettings>();
                var path = SourceFiles.Single(source, music.Data.File, directories);
                var rolls = new SequenceTask(settings.Task, settings.For<DataSettings, ModelSettings>(), device, dtype, path);
                return new BuiltExperiment(rolls, device, dtype, DataProvenance.Of(source, SourceFiles.Record(source, [path])), null);
            default:
                return new BuiltExperiment(new SequenceTask(settings.Task, settings.For<DataSettings, ModelSettings>(), device, dtype), device, dtype, DataProvenance.Of(source, []), null);
        }
    }

    /// <summary>A forecaster on a series already in memory (a notebook's DataFrame or CSV): data.name and data.path are not read.</summary>
    public static BuiltExperiment Build(ExperimentSettings settings, TimeSeriesFrame series)
    {
        if (settings.Task != TaskKind.Forecast)
            throw new ArgumentException($"a series in memory feeds the forecast task, not {settings.Task}", nameof(settings));
        using var hold = KeepAliveScope.Open(); // loaders chain tensor ops outside any scope: see KeepAliveScope
        var (device, dtype) = Prepare(settings);
        return InitialiseFrom(settings, new BuiltExperiment(new ForecastTask(settings.For<SeriesDataSettings, ForecasterSettings>(), series, device, dtype), device, dtype, DataProvenance.InMemory(series.Source), null));
    }

    /// <summary>model.init_from: the built model takes the file's weights (after its own initialisation).</summary>
    private static BuiltExperiment InitialiseFrom(ExperimentSettings settings, BuiltExperiment built)
    {
        if (settings.Model.InitFrom is { } path)
            Interop.WeightImport.Apply(built.Task.Model, path, settings.Model.InitMap);
        return built;
    }

    /// <summary>Whether a language-model config reads characters (Tiny Shakespeare, data.level: char).</summary>
    public static bool IsCharLevel(DataSettings d) => d is TextDataSettings text && ExperimentSource.LevelOf(text) == TextLevel.Char;

    /// <summary>The token of every id, in id order, so generation can decode without the corpus.</summary>
    public static void WriteVocabulary(string path, Vocabulary vocabulary) =>
        File.WriteAllText(path, JsonSerializer.Serialize(vocabulary.Tokens));

    public static Vocabulary ReadVocabulary(string path) =>
        new(JsonSerializer.Deserialize<List<string>>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty vocabulary"));

    // libtorch's own thread count, read before any experiment sets one: threads: 0 restores it, so a second experiment
    // in one process (a notebook, a sweep worker) does not inherit the first one's setting.
    private static readonly Lazy<int> LibTorchThreads = new(() =>
    {
        TorchRuntime.EnsureLoaded();
        return get_num_threads();
    });

    private static (Device Device, ScalarType Dtype) Prepare(ExperimentSettings settings)
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(settings.Threads > 0 ? settings.Threads : LibTorchThreads.Value);
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
        return (device, dtype);
    }

    /// <summary>Streamed batches need two rows per split (an input and its target); a short file of one's own may not have them.</summary>
    private static void CheckBatches(LanguageCorpus corpus, TrainSettings train)
    {
        foreach (var (split, batch) in new[] { (corpus.Train, train.BatchSize), (corpus.Valid, train.EvalBatchSize), (corpus.Test, train.EvalBatchSize) })
        {
            if (!corpus.HeldOut && split != corpus.Train)
                continue;
            if (split.Length < 2 * batch)
            {
                throw DataException.In(split.SourcePath ?? split.Name, $"the {split.Name} split has {split.Length} tokens, too few for batches of " +
                    $"{batch} streams (at least {2 * batch}); give more text or a smaller train.{(split.Name == "train" ? "batch_size" : "eval_batch_size")}");
            }
        }
    }
}
