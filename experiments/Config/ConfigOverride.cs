using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// One `key.sub=value` from the command line. The value is YAML (`0.5`, `ptb`, `[5,10]`, `true`, `null`; empty is null),
/// so it means what the same text would mean in a file. Which keys exist is checked when binding, against the settings classes.
/// </summary>
internal sealed record ConfigOverride(string Text, string Key, YamlNode Value)
{
    private const string Example = "expected key=value, e.g. train.lr=0.1";

    public static ConfigOverride Parse(string text)
    {
        var where = $"override {text}";
        if (text.StartsWith('+') || text.StartsWith('~'))
            throw new ConfigException($"{where}: adding (+key) or deleting (~key) keys is not supported; set a key the settings declare");
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new ConfigException($"{where}: {Example}");
        var key = text[..eq].Trim();
        if (key.Split('.').Any(segment => segment.Length == 0 || segment.Any(char.IsWhiteSpace)))
            throw new ConfigException($"{where}: '{key}' is not a dotted key like train.lr");
        return new ConfigOverride(text, key, ParseValue(text[(eq + 1)..], where));
    }

    private static YamlNode ParseValue(string value, string where)
    {
        var stream = ConfigFileChain.Load(value, where, withLine: false);
        return stream.Documents.Count == 0 ? new YamlScalarNode("") { Style = ScalarStyle.Plain } : stream.Documents[0].RootNode;
    }

    /// <summary>`{a: {b: value}}` for `a.b=value`, every node marked as coming from this override.</summary>
    public YamlMappingNode AsTree(NodeOrigins origins)
    {
        var origin = ConfigOrigin.Override(Text, Key);
        origins.AddTree(Value, origin);
        YamlNode node = Value;
        foreach (var segment in Key.Split('.').Reverse())
        {
            var keyNode = new YamlScalarNode(segment);
            var map = new YamlMappingNode { { keyNode, node } };
            origins.Add(keyNode, origin);
            origins.Add(map, origin);
            node = map;
        }
        return (YamlMappingNode)node;
    }
}
