using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
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
public sealed class ExperimentSettings : IValidatedSettings, ISectionOwners
{
    // The classes each task binds data.* and model.* to: a key of another task's class is an unknown key.
    private static readonly Dictionary<TaskKind, (Type Data, Type Model)> Sections = new()
    {
        [TaskKind.LanguageModel] = (typeof(TextDataSettings), typeof(LanguageModelSettings)),
        [TaskKind.Forecast] = (typeof(SeriesDataSettings), typeof(ForecasterSettings)),
        [TaskKind.Adding] = (typeof(SequenceDataSettings), typeof(ModelSettings)),
        [TaskKind.Copying] = (typeof(SequenceDataSettings), typeof(ModelSettings)),
        [TaskKind.Music] = (typeof(MusicDataSettings), typeof(MusicModelSettings)),
    };

    /// <summary>Name of the experiment: runs go to runs/&lt;experiment&gt;/.</summary>
    public string Experiment { get; set; } = "default";

    /// <summary>Setting it gives <see cref="Data"/> and <see cref="Model"/> the task's classes (with their defaults) if they have others.</summary>
    [Required]
    public TaskKind Task
    {
        get;
        set
        {
            field = value;
            if (Data.GetType() != DataType(value))
                Data = (DataSettings)Activator.CreateInstance(DataType(value))!;
            if (Model.GetType() != ModelType(value))
                Model = (ModelSettings)Activator.CreateInstance(ModelType(value))!;
        }
    }

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

    /// <summary>The task's own data keys: of class <see cref="DataType"/>, which setting <see cref="Task"/> gives it.</summary>
    public DataSettings Data { get; set; } = new TextDataSettings();

    /// <summary>The task's own model keys: of class <see cref="ModelType"/>, which setting <see cref="Task"/> gives it.</summary>
    public ModelSettings Model { get; set; } = new LanguageModelSettings();

    public TrainSettings Train { get; set; } = new();

    /// <summary>The published result a reproduction config (configs/repro) is compared with.</summary>
    public ReferenceSettings Reference { get; set; } = new();

    /// <summary>The class a task binds data.* to.</summary>
    public static Type DataType(TaskKind task) => Sections[task].Data;

    /// <summary>The class a task binds model.* to.</summary>
    public static Type ModelType(TaskKind task) => Sections[task].Model;

    /// <summary>The task's name as configs write it (language_model).</summary>
    public static string TaskName(TaskKind task) => SnakeCase.From(task.ToString());

    /// <summary>The settings a task of these data and model classes reads.</summary>
    /// <exception cref="InvalidOperationException">The settings are another task's.</exception>
    public TaskSettings<TData, TModel> For<TData, TModel>()
        where TData : DataSettings
        where TModel : ModelSettings =>
        Data is TData data && Model is TModel model
            ? new(data, model, Train, Seed)
            : throw new InvalidOperationException($"task {TaskName(Task)} has {Data.GetType().Name} and {Model.GetType().Name}, not {typeof(TData).Name} and {typeof(TModel).Name}");

    string? ISectionOwners.OwnerOf(string section, string key)
    {
        var owners = Sections.Where(s => SettingsSchema.Properties(section == "data" ? s.Value.Data : s.Value.Model).Any(p => p.Key == key))
            .Select(s => TaskName(s.Key)).ToList();
        return owners.Count switch
        {
            0 => null,
            1 => $"task {owners[0]}",
            _ => $"tasks {string.Join(", ", owners)}",
        };
    }

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
        if (Model is ForecasterSettings { Strategy: ForecastStrategy.Autoregressive } && Data is SeriesDataSettings { Covariates.Count: > 0 } or SeriesDataSettings { Calendar.Count: > 0 })
            yield return new("model.strategy", "autoregressive roll-out needs future covariates; use the direct strategy with data.covariates or data.calendar");
    }
}
