namespace Research.Experiments.Settings;

/// <summary>The data.* keys of the tasks that read a source: a registered dataset, a generator, or a file or folder of one's own.</summary>
public abstract class SourceDataSettings : DataSettings
{
    /// <summary>A file or folder of one's own to read instead of a registered dataset (docs/data.md, "Your own data").</summary>
    public string? Path { get; set; }

    /// <summary>A lab's dataset catalogue (YAML) merged with the built-in registry; null uses $RESEARCH_CATALOGUE if set.</summary>
    public string? Catalogue { get; set; }
}
