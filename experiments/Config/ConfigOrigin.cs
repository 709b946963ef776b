namespace Research.Experiments.Config;

/// <summary>Where a YAML node came from: a file (its line is on the node) or one command-line override.</summary>
internal sealed record ConfigOrigin(string Source, string? OverrideKey = null)
{
    public static ConfigOrigin File(string displayPath) => new(displayPath);

    public static ConfigOrigin Override(string text, string key) => new($"override {text}", key);

    public bool IsOverride => OverrideKey is not null;
}
