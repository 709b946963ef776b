using Research.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Interop;

/// <summary>
/// <c>model.init_from</c>: a freshly built model takes every tensor of a .pt or .safetensors state_dict, after its own
/// initialisation. Names map one to one, or through a <see cref="WeightNameMap"/> (<c>model.init_map</c>); every check
/// runs before the first copy, so a bad file changes nothing.
/// </summary>
public static class WeightImport
{
    /// <exception cref="DataException">
    /// The file cannot be read, or it lacks a tensor of the model, has one the model lacks, or a shape differs: one line
    /// naming the tensor (and both shapes).
    /// </exception>
    public static void Apply(nn.Module model, string path, string? mapPath = null)
    {
        if (!File.Exists(path))
            throw DataException.In(path, "no such file (model.init_from)");
        var map = mapPath is null ? null : WeightNameMap.Read(mapPath);
        var read = StateDictFile.Read(path);
        var loaded = read;
        try
        {
            Dictionary<string, string>? sources = null;
            if (map is not null)
                (loaded, sources) = map.Rename(read, path);
            string From(string name) => sources is not null && sources[name] != name ? $" (from '{sources[name]}', model.init_map)" : "";
            var target = model.state_dict();
            // A name the map produced that the model lacks is the likely mistake: name it before what is then missing.
            var mapped = sources?.Keys.Where(k => !target.ContainsKey(k) && sources[k] != k).Order(StringComparer.Ordinal).FirstOrDefault();
            if (mapped is not null)
                throw DataException.In(path, $"tensor '{sources![mapped]}' maps to '{mapped}' (model.init_map), which the model does not have; the model has {Names(target.Keys)}");
            var missing = target.Keys.FirstOrDefault(k => !loaded.ContainsKey(k));
            if (missing is not null)
                throw DataException.In(path, $"has no tensor '{missing}' (shape {Shape(target[missing])}) that the model needs; it holds{(map is null ? "" : " (after model.init_map)")} {Names(loaded.Keys.Order(StringComparer.Ordinal))}");
            // A .pt file's dictionary comes back unordered: name the first extra tensor by name, the same every time.
            var extra = loaded.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (extra is not null)
                throw DataException.In(path, $"has tensor '{extra}'{From(extra)} (shape {Shape(loaded[extra])}) that the model does not have; the model has {Names(target.Keys)}");
            foreach (var (name, ours) in target)
            {
                var theirs = loaded[name];
                if (!ours.shape.SequenceEqual(theirs.shape))
                    throw DataException.In(path, $"tensor '{name}'{From(name)} has shape {Shape(theirs)} in the file but {Shape(ours)} in the model");
            }
            using (no_grad())
            {
                foreach (var (name, ours) in target)
                    ours.copy_(loaded[name]);
            }
        }
        finally
        {
            foreach (var tensor in read.Values)
                tensor.Dispose();
        }
    }

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 8 ? string.Join(", ", list) : $"{string.Join(", ", list.Take(8))} and {list.Count - 8} more";
    }
}
