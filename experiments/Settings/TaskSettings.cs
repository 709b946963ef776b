namespace Research.Experiments.Settings;

/// <summary>What one task reads of an experiment's settings: its own data and model keys, training, and the seed.</summary>
public sealed record TaskSettings<TData, TModel>(TData Data, TModel Model, TrainSettings Train, int Seed)
    where TData : DataSettings
    where TModel : ModelSettings;
