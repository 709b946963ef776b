using Research.Data.Text;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Models.Language;
using Research.Models.Runtime;
using static TorchSharp.torch;

namespace Research.Experiments.Runs;

/// <summary>A language-model run's best checkpoint loaded back, with what reading it needs (for generate and inspect).</summary>
public sealed record TrainedLanguageModel(
    ExperimentSettings Settings, Vocabulary Vocabulary, LanguageModelOptions Options, LanguageModel Model, Device Device, ScalarType Dtype)
{
    public bool CharLevel => ExperimentBuilder.IsCharLevel(Settings.Data);

    /// <exception cref="UsageException">The folder is not a finished language-model run.</exception>
    public static TrainedLanguageModel Load(RunFolder run)
    {
        var settings = ConfigLoader.LoadRun<ExperimentSettings>(run.Config).Value;
        if (settings.Task != TaskKind.LanguageModel)
            throw new UsageException($"{run.Path} is a {settings.Task} run, not a language model");
        if (!File.Exists(run.BestCheckpoint) || !File.Exists(run.Vocabulary))
            throw new UsageException($"{run.Path} has no best checkpoint or vocabulary yet");

        TorchRuntime.EnsureLoaded();
        var device = TensorOptions.ParseDevice(settings.Device);
        var dtype = TensorOptions.ParseDtype(settings.Dtype);
        var vocabulary = ExperimentBuilder.ReadVocabulary(run.Vocabulary);
        var options = LanguageModelTask.ModelOptions(settings.For<TextDataSettings, LanguageModelSettings>().Model, vocabulary.Count);
        var model = new LanguageModel(options, device, dtype);
        Checkpoint.Load(run.BestCheckpoint, model, optimizer: null);
        return new TrainedLanguageModel(settings, vocabulary, options, model, device, dtype);
    }
}
