using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// Loads a typed config: the YAML file and its `defaults:` bases, deep-merged; then `key.sub=value` overrides; then bound
/// onto <typeparamref name="T"/> (unknown keys and wrong types are errors, unset keys keep the class's defaults); then
/// [Range] and <see cref="IValidatedSettings"/> rules. Every user error is a one-line <see cref="ConfigException"/>.
/// </summary>
public static class ConfigLoader
{
    public static LoadedConfig<T> Load<T>(string path, IReadOnlyList<string>? overrides = null)
        where T : class
    {
        var origins = new NodeOrigins(path);
        var files = new ConfigFileChain(origins);
        return Resolve<T>(files.ReadFile(path), overrides ?? [], origins, files);
    }

    /// <summary>A run or sweep folder's saved config: as <see cref="Load{T}"/>, with keys renamed since the run was written translated (<see cref="LegacyRecurrenceKeys"/>).</summary>
    public static LoadedConfig<T> LoadRun<T>(string path, IReadOnlyList<string>? overrides = null)
        where T : class
    {
        var origins = new NodeOrigins(path);
        var files = new ConfigFileChain(origins);
        return Resolve<T>(files.ReadFile(path), overrides ?? [], origins, files, translateLegacy: true);
    }

    /// <summary>For tests and notebooks: <paramref name="yaml"/> stands for a file named <paramref name="sourceName"/>; its `defaults:` are relative to <paramref name="baseDirectory"/> (the working directory if null).</summary>
    public static LoadedConfig<T> LoadFromString<T>(string yaml, IReadOnlyList<string>? overrides = null, string sourceName = "<string>", string? baseDirectory = null)
        where T : class
    {
        var origins = new NodeOrigins(sourceName);
        var files = new ConfigFileChain(origins);
        return Resolve<T>(files.ReadText(yaml, sourceName, baseDirectory ?? ""), overrides ?? [], origins, files);
    }

    /// <summary>
    /// Binds and validates a file that is not an experiment config (a sweep file) the same way, without a resolved YAML;
    /// <paramref name="keyKind"/> names its keys in errors ("unknown sweep key").
    /// </summary>
    public static T Bind<T>(string text, string path, string keyKind = "key")
        where T : class
    {
        var origins = new NodeOrigins(path);
        var tree = new ConfigFileChain(origins).ReadText(text, path, Path.GetDirectoryName(path) ?? "");
        return Bind<T>(tree, origins, keyKind);
    }

    private static LoadedConfig<T> Resolve<T>(YamlMappingNode tree, IReadOnlyList<string> overrides, NodeOrigins origins, ConfigFileChain files,
        bool translateLegacy = false)
        where T : class
    {
        foreach (var text in overrides)
            tree = YamlDeepMerge.Merge(tree, ConfigOverride.Parse(text).AsTree(origins), origins);
        if (translateLegacy)
            LegacyRecurrenceKeys.Translate(tree);
        LegacyRecurrenceKeys.Reject(tree, origins);
        var value = Bind<T>(tree, origins, "key");
        return new LoadedConfig<T>(value, ResolvedYamlWriter.Write(value), [.. overrides], [.. files.Sources]);
    }

    private static T Bind<T>(YamlMappingNode tree, NodeOrigins origins, string keyKind)
        where T : class
    {
        var value = (T)new SettingsBinder(origins, keyKind).BindSection(typeof(T), null, tree, "");
        new SettingsValidator(origins, tree).Validate(value);
        return value;
    }
}
