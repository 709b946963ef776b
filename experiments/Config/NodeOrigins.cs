using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// The origin of every YAML node in a merged config, so an error deep in binding can still say `file:line: key`.
/// Nodes compare by reference: YamlDotNet's own equality is structural, and two files may hold equal nodes.
/// </summary>
internal sealed class NodeOrigins(string rootSource)
{
    private readonly Dictionary<YamlNode, ConfigOrigin> _origins = new(ReferenceEqualityComparer.Instance);

    /// <summary>The file that was asked for: named by errors about keys that no file sets.</summary>
    public string RootSource { get; } = rootSource;

    public void AddTree(YamlNode root, ConfigOrigin origin)
    {
        foreach (var node in root.AllNodes)
            _origins.TryAdd(node, origin);
    }

    public void Add(YamlNode node, ConfigOrigin origin) => _origins.TryAdd(node, origin);

    public ConfigOrigin? Of(YamlNode node) => _origins.GetValueOrDefault(node);

    /// <summary>`file:line: key: message`, or `override k=v: message` when the key is the override's own.</summary>
    public string Describe(YamlNode? node, string key, string message)
    {
        var origin = node is null ? null : Of(node);
        string where;
        if (origin is null)
            where = RootSource;
        else if (origin.IsOverride)
            where = origin.Source;
        else
            where = node!.Start.Line > 0 ? $"{origin.Source}:{node.Start.Line}" : origin.Source;
        var keyPart = key.Length == 0 || origin?.OverrideKey == key ? "" : $"{key}: ";
        return $"{where}: {keyPart}{message}";
    }

    public ConfigException Error(YamlNode? node, string key, string message) => new(Describe(node, key, message));
}
