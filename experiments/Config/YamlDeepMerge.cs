using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>Config-as-diff: the overlay's mappings merge key by key into the base; its scalars and lists replace.</summary>
internal static class YamlDeepMerge
{
    public static YamlMappingNode Merge(YamlMappingNode baseMap, YamlMappingNode overlay, NodeOrigins origins)
    {
        var entries = new List<KeyValuePair<YamlScalarNode, YamlNode>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(baseMap, origins))
        {
            index[key.Value!] = entries.Count;
            entries.Add(new(key, value));
        }
        foreach (var (key, value) in Entries(overlay, origins))
        {
            if (!index.TryGetValue(key.Value!, out var at))
            {
                index[key.Value!] = entries.Count;
                entries.Add(new(key, value));
            }
            else if (entries[at].Value is YamlMappingNode baseChild && value is YamlMappingNode overlayChild)
            {
                entries[at] = new(entries[at].Key, Merge(baseChild, overlayChild, origins));
            }
            else
            {
                // The overlay's key node, so an error about the value points at the line that set it last.
                entries[at] = new(key, value);
            }
        }
        var merged = new YamlMappingNode();
        foreach (var (key, value) in entries)
            merged.Add(key, value);
        var origin = origins.Of(baseMap) ?? origins.Of(overlay);
        if (origin is not null)
            origins.Add(merged, origin);
        return merged;
    }

    /// <summary>The entries of a mapping with their keys checked to be plain names.</summary>
    public static IEnumerable<(YamlScalarNode key, YamlNode value)> Entries(YamlMappingNode map, NodeOrigins origins)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } } scalar)
                throw origins.Error(key, "", "keys must be plain names, not lists or mappings");
            yield return (scalar, value);
        }
    }
}
