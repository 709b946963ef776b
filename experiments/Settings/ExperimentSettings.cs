using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
using Research.Models.Language;
using Research.Models.Recurrent;

namespace Research.Experiments.Settings;

/// <summary>What an experiment trains on and what it measures.</summary>
public enum TaskKind
{
    /// <summary>Next-token prediction on a word- or character-level corpus (or the built-in Markov source).</summary>
    LanguageModel,

    /// <summary>Time-series forecasting from a CSV (or a built-in synthetic series).</summary>
    Forecast,

    /// <summary>The adding problem (Arjovsky et al. 2016 form).</summary>
    Adding,

    /// <summary>The copying-memory task (Arjovsky et al. 2016).</summary>
    Copying,

    /// <summary>Polyphonic music: next-step multi-label prediction on JSB Chorales.</summary>
    Music,
}

/// <summary>
/// The whole of one experiment's configuration. The defaults here are the project's defaults: a config file only
/// states how it differs (configs/*.yaml), and `key.sub=value` overrides change single values.
/// </summary>
public sealed class ExperimentSettings : IValidatedSettings
{
    /// <summary>Name of the experiment: runs go to runs/&lt;experiment&gt;/.</summary>
    public string Experiment { get; set; } = "default";

    [Required]
    public TaskKind Task { get; set; }

    public int Seed { get; set; } = 1;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>float32 or float64.</summary>
    public string Dtype { get; set; } = "float32";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's choice (one per core).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Folder under which runs/&lt;experiment&gt;/&lt;id&gt; folders are created.</summary>
    public string RunsDir { get; set; } = "runs";

    public DataSettings Data { get; set; } = new();

    public ModelSettings Model { get; set; } = new();

    public TrainSettings Train { get; set; } = new();

    /// <summary>The published result a reproduction config (configs/repro) is compared with.</summary>
    public ReferenceSettings Reference { get; set; } = new();

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Dtype is not ("float32" or "float64"))
            yield return new(nameof(Dtype), $"must be float32 or float64, got '{Dtype}'");
        if (Device != "cpu" && Device != "cuda" && !Device.StartsWith("cuda:", StringComparison.Ordinal))
            yield return new(nameof(Device), $"must be cpu, cuda or cuda:N, got '{Device}'");
        if (string.IsNullOrWhiteSpace(Experiment) || Experiment.IndexOfAny(['/', '\\', ':']) >= 0 || Experiment.StartsWith('.'))
            yield return new(nameof(Experiment), $"must be a plain folder name, got '{Experiment}'");
        // The backend's dtype and device rule (ModelSettings checks the cell and variant): kernel is float32 on the CPU.
        var scalarType = Dtype == "float64" ? TorchSharp.torch.ScalarType.Float64 : TorchSharp.torch.ScalarType.Float32;
        var deviceType = Device.StartsWith("cuda", StringComparison.Ordinal) ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU;
        if (RecurrentBackend.WhyNot(Model.Recurrence()) is null && RecurrentBackend.WhyNot(Model.Recurrence(), scalarType, deviceType) is { } why)
            yield return new("model.backend", why);
        if (Task == TaskKind.Forecast && Model.Strategy == ForecastStrategy.Autoregressive && (Data.Covariates.Count > 0 || Data.Calendar.Count > 0))
            yield return new("model.strategy", "autoregressive roll-out needs future covariates; use the direct strategy with data.covariates or data.calendar");
        if (Task != TaskKind.LanguageModel && Model.EmbeddingDropout > 0)
            yield return new("model.embedding_dropout", "drops rows of a word embedding: only the language_model task has one");
        if (Task != TaskKind.LanguageModel && Model.Input != LanguageModelInput.Embedding)
            yield return new("model.input", "chooses how a language model reads tokens: only the language_model task has tokens");
        if (Task != TaskKind.LanguageModel && Data.Windows.Length > 0)
            yield return new("data.windows.length", "cuts a text into windows: only the language_model task reads text");
        // The reverse direction reads the steps the model must predict: next-step tasks and roll-outs would cheat.
        if (Model.Variant.Bidirectional && (Task is TaskKind.LanguageModel or TaskKind.Music
                || (Task == TaskKind.Forecast && Model.Strategy == ForecastStrategy.Autoregressive)))
            yield return new("model.variant.bidirectional", "would let the model read the future steps it predicts; use it for direct forecasts and sequence readouts");
    }
}
