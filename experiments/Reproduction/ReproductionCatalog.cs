using Research.Experiments.Config;
using Research.Experiments.Settings;

namespace Research.Experiments.Reproduction;

/// <summary>One published setting: its config (configs/repro/NAME.yaml) and the reference block inside it.</summary>
public sealed record ReproductionEntry(string Name, string ConfigPath, LoadedConfig<ExperimentSettings> Config)
{
    public ReferenceSettings Reference => Config.Value.Reference;
}

/// <summary>
/// Every reproduction config under a folder (configs/repro): NAME is the path below it without `.yaml`, so
/// configs/repro/ett/etth1-uni-24.yaml is `ett/etth1-uni-24`. Files under a `base/` folder are shared defaults, not
/// reproductions. A config that does not load, or has no reference.metric, is an error: the catalogue is all or nothing.
/// </summary>
public static class ReproductionCatalog
{
    public const string DefaultDirectory = "configs/repro";

    public static IReadOnlyList<ReproductionEntry> Load(string directory, IReadOnlyList<string>? overrides = null)
    {
        if (!Directory.Exists(directory))
            throw new ConfigException($"{directory}: no such folder of reproduction configs");
        return ConfigFiles(directory)
            .Select(path => Entry(directory, path, overrides))
            .ToList();
    }

    /// <summary>The names alone, without loading anything (for suggestions and listings).</summary>
    public static IReadOnlyList<string> Names(string directory) =>
        Directory.Exists(directory) ? ConfigFiles(directory).Select(p => NameOf(directory, p)).ToList() : [];

    public static ReproductionEntry Find(string directory, string name, IReadOnlyList<string>? overrides = null)
    {
        var path = Path.Combine(directory, name + ".yaml");
        if (!File.Exists(path) || IsBase(directory, path))
            throw new Cli.UsageException($"no reproduction '{name}' in {directory}{Cli.DidYouMean.Suggest(name, Names(directory))}; "
                + "research reproduce --list shows them");
        return Entry(directory, path, overrides);
    }

    private static ReproductionEntry Entry(string directory, string path, IReadOnlyList<string>? overrides)
    {
        var loaded = ConfigLoader.Load<ExperimentSettings>(path, overrides);
        if (string.IsNullOrWhiteSpace(loaded.Value.Reference.Metric))
            throw new ConfigException($"{path}: reference.metric: a reproduction config needs the summary.json path of its metric (e.g. test.perplexity)");
        return new ReproductionEntry(NameOf(directory, path), path, loaded);
    }

    private static IEnumerable<string> ConfigFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.yaml", SearchOption.AllDirectories)
            .Where(p => !IsBase(directory, p))
            .OrderBy(p => NameOf(directory, p), StringComparer.Ordinal);

    private static bool IsBase(string directory, string path) =>
        Path.GetRelativePath(directory, path).Replace('\\', '/').Split('/').SkipLast(1).Contains("base");

    private static string NameOf(string directory, string path) =>
        Path.ChangeExtension(Path.GetRelativePath(directory, path), null).Replace('\\', '/');
}
