namespace Research.Experiments.Settings;

/// <summary>
/// The data.* keys every task has. Each task binds data.* to its own subclass (<see cref="ExperimentSettings.DataType"/>),
/// so a key of another task's data is an unknown key, rejected by the binder itself.
/// </summary>
public abstract class DataSettings
{
    /// <summary>
    /// A registered dataset (DatasetRegistry; a lab catalogue's too), a built-in generator, or with a path the name runs
    /// record data of one's own under (default: the file or folder name). Not needed by adding and copying.
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>Local mirror folder with one sub-folder per dataset; null uses $RESEARCH_DATA_DIR, then the cache. Every task takes it, so one override serves every config.</summary>
    public string? Dir { get; set; }
}
