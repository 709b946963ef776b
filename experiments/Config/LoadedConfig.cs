using System.Security.Cryptography;
using System.Text;

namespace Research.Experiments.Config;

/// <summary>
/// A bound, validated config and what a run folder needs to reproduce it: the resolved YAML (every key, defaults
/// included), the overrides as typed, the files read, and a hash of the resolved YAML for run identity.
/// </summary>
public sealed class LoadedConfig<T>(T value, string resolvedYaml, IReadOnlyList<string> overrides, IReadOnlyList<string> sources)
    where T : class
{
    public const string ConfigFileName = "config.yaml";
    public const string OverridesFileName = "overrides.yaml";

    public T Value { get; } = value;

    /// <summary>Loading this text again, with no overrides, gives an equal object and the same text.</summary>
    public string ResolvedYaml { get; } = resolvedYaml;

    public IReadOnlyList<string> Overrides { get; } = overrides;

    /// <summary>The files read, bases first (or the source name given to LoadFromString).</summary>
    public IReadOnlyList<string> Sources { get; } = sources;

    /// <summary>SHA-256 of <see cref="ResolvedYaml"/>, lower-case hex: equal configs, however written, hash alike.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedYaml)));

    /// <summary>The overrides as a YAML list of strings, like Hydra's overrides.yaml.</summary>
    public string OverridesYaml => Overrides.Count == 0
        ? "[]\n"
        : string.Concat(Overrides.Select(o => $"- {ResolvedYamlWriter.Quote(o)}\n"));

    /// <summary>Writes config.yaml and overrides.yaml into a run folder (created if missing).</summary>
    public void WriteTo(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, ConfigFileName), ResolvedYaml);
        File.WriteAllText(Path.Combine(runDirectory, OverridesFileName), OverridesYaml);
    }
}
