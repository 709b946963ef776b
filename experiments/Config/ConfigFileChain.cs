using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// Reads one config file and, first, the files its top-level `defaults:` names (a path or a list, relative to the
/// including file, loaded in order and recursively), then merges the file's own keys over them.
/// </summary>
internal sealed partial class ConfigFileChain(NodeOrigins origins)
{
    public const string DefaultsKey = "defaults";

    private readonly List<string> _sources = [];
    private readonly List<(string identity, string display)> _stack = [];

    /// <summary>The files read, bases before the files that include them, each once.</summary>
    public IReadOnlyList<string> Sources => _sources;

    public YamlMappingNode ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"{path}: config file not found");
        return Read(File.ReadAllText(path), path, Path.GetDirectoryName(path) ?? "", Path.GetFullPath(path));
    }

    /// <summary>Text standing for a file named <paramref name="sourceName"/> in <paramref name="directory"/> ("" is the working directory).</summary>
    public YamlMappingNode ReadText(string yaml, string sourceName, string directory) => Read(yaml, sourceName, directory, identity: null);

    /// <param name="directory">The including file's folder as the user named it, so bases are named alike: relative or absolute.</param>
    private YamlMappingNode Read(string yaml, string displayPath, string directory, string? identity)
    {
        if (identity is not null)
            _stack.Add((identity, displayPath));
        var document = Parse(yaml, displayPath);
        origins.AddTree(document, ConfigOrigin.File(displayPath));
        var merged = new YamlMappingNode();
        var own = new YamlMappingNode();
        origins.Add(merged, ConfigOrigin.File(displayPath));
        origins.Add(own, ConfigOrigin.File(displayPath));
        foreach (var (key, value) in YamlDeepMerge.Entries(document, origins))
        {
            if (key.Value == DefaultsKey)
            {
                foreach (var entry in DefaultsEntries(value))
                    merged = YamlDeepMerge.Merge(merged, ReadBase(entry, directory), origins);
            }
            else
            {
                own.Add(key, value);
            }
        }
        if (identity is not null)
            _stack.RemoveAt(_stack.Count - 1);
        if (!_sources.Contains(displayPath))
            _sources.Add(displayPath);
        return YamlDeepMerge.Merge(merged, own, origins);
    }

    private IEnumerable<YamlScalarNode> DefaultsEntries(YamlNode value)
    {
        if (YamlScalars.IsNull(value))
            yield break;
        var entries = value is YamlSequenceNode list ? list.Children : [value];
        foreach (var entry in entries)
        {
            if (entry is not YamlScalarNode { Value: { Length: > 0 } } scalar || YamlScalars.IsNull(scalar))
                throw origins.Error(entry, DefaultsKey, "expected a file path or a list of file paths");
            yield return scalar;
        }
    }

    private YamlMappingNode ReadBase(YamlScalarNode entry, string directory)
    {
        var relative = entry.Value!;
        var combined = Path.Combine(directory, relative);
        var fullPath = Path.GetFullPath(combined);
        var open = _stack.FindIndex(s => s.identity == fullPath);
        if (open >= 0)
        {
            var cycle = _stack.Skip(open).Select(s => s.display).Append(_stack[open].display);
            throw origins.Error(entry, DefaultsKey, $"cycle {string.Join(" -> ", cycle)}");
        }
        if (!File.Exists(fullPath))
            throw origins.Error(entry, DefaultsKey, $"file {relative} not found");
        var display = Path.IsPathRooted(combined) ? fullPath : Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return Read(File.ReadAllText(fullPath), display, Path.GetDirectoryName(display) ?? "", fullPath);
    }

    /// <summary>One YAML document whose top level is a mapping; an empty file is an empty mapping.</summary>
    private static YamlMappingNode Parse(string yaml, string displayPath)
    {
        var stream = Load(yaml, displayPath);
        if (stream.Documents.Count == 0)
            return new YamlMappingNode();
        if (stream.Documents.Count > 1)
            throw new ConfigException($"{displayPath}:{stream.Documents[1].RootNode.Start.Line}: expected one YAML document, found {stream.Documents.Count}");
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode map => map,
            YamlScalarNode scalar when YamlScalars.IsNull(scalar) => new YamlMappingNode(),
            var other => throw new ConfigException($"{displayPath}:{other.Start.Line}: expected a mapping of keys at the top level, got {YamlScalars.Describe(other)}"),
        };
    }

    /// <summary>All documents of a YAML text; a syntax error becomes `where:line: what` (`where: what` for a one-line override).</summary>
    internal static YamlStream Load(string yaml, string where, bool withLine = true)
    {
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e) when (e.Message.Contains("Duplicate key", StringComparison.Ordinal))
        {
            throw new ConfigException($"{where}:{e.Start.Line}: {parser.KeyPath}: duplicate key");
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{where}{(withLine ? $":{e.Start.Line}" : "")}: {YamlErrorText(e)}");
        }
        catch (InvalidOperationException)
        {
            throw new ConfigException($"{where}{(withLine ? $":{parser.LastGoodEnd.Line}" : "")}: invalid YAML{(withLine ? " after this line" : "")}");
        }
        return stream;
    }

    /// <summary>YamlDotNet's message without its `(Line: 3, Col: 5, Idx: 20) - (…): ` prefix; the caller says file:line.</summary>
    internal static string YamlErrorText(YamlException e)
    {
        var text = MarkPrefix().Replace(e.Message, "");
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..].TrimEnd('.') : text;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
