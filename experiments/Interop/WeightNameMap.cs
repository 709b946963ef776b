using Research.Data;
using Research.Experiments.Config;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Interop;

/// <summary>
/// <c>model.init_map</c>: renames the tensors of a weight file by prefix before <see cref="WeightImport"/> matches them
/// to the model, e.g. <c>lstm.</c> → <c>rnn.</c>, <c>embed.</c> → <c>encoder.</c>. The file is YAML or JSON, one
/// mapping of source prefix to our prefix; the longest matching prefix wins and a name no prefix matches stays as it is.
/// </summary>
public sealed class WeightNameMap
{
    public static readonly IReadOnlyList<string> Extensions = [".yaml", ".yml", ".json"];

    private readonly string _path;
    private readonly List<(string From, string To, long Line)> _entries;

    private WeightNameMap(string path, List<(string, string, long)> entries) => (_path, _entries) = (path, entries);

    /// <exception cref="DataException">The file is missing, or is not a mapping of non-empty prefix strings: one line naming file:line.</exception>
    public static WeightNameMap Read(string path)
    {
        if (!File.Exists(path))
            throw DataException.In(path, "no such file (model.init_map)");
        YamlStream stream;
        try
        {
            stream = ConfigFileChain.Load(File.ReadAllText(path), path);
        }
        catch (ConfigException e)
        {
            throw new DataException(e.Message);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw DataException.In(path, "must be one mapping of source prefix to model prefix, e.g. 'lstm.: rnn.' (model.init_map)");
        var entries = new List<(string, string, long)>();
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } from } || value is not YamlScalarNode { Value: { } to })
                throw DataException.At(path, key.Start.Line, $"an entry maps a non-empty source prefix to a model prefix (strings), got {YamlScalars.Describe(key)}: {YamlScalars.Describe(value)}");
            entries.Add((from, to, key.Start.Line));
        }
        return new(path, [.. entries.OrderByDescending(e => e.Item1.Length)]);
    }

    /// <summary>
    /// The file's tensors under our names, and each one's name in the file. A name two tensors would share, or an entry
    /// that renames no tensor, is an error naming the map's line.
    /// </summary>
    public (Dictionary<string, T> Tensors, Dictionary<string, string> Sources) Rename<T>(IReadOnlyDictionary<string, T> tensors, string weightFile)
    {
        var renamed = new Dictionary<string, T>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<long>();
        foreach (var (name, tensor) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var entry = _entries.FirstOrDefault(e => name.StartsWith(e.From, StringComparison.Ordinal));
            var ours = entry.From is null ? name : entry.To + name[entry.From.Length..];
            if (entry.From is not null)
                used.Add(entry.Line);
            if (!renamed.TryAdd(ours, tensor))
                throw DataException.In(_path, $"two tensors of {weightFile} map to '{ours}': '{sources[ours]}' and '{name}'");
            sources[ours] = name;
        }
        var unused = _entries.Where(e => !used.Contains(e.Line)).OrderBy(e => e.Line).FirstOrDefault();
        if (unused.From is not null)
            throw DataException.At(_path, unused.Line, $"entry '{unused.From}' → '{unused.To}' matches no tensor of {weightFile}");
        return (renamed, sources);
    }
}
