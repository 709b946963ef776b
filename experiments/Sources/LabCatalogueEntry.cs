using System.Globalization;
using System.Text;
using System.Text.Json;
using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Experiments.Settings;

namespace Research.Experiments.Sources;

/// <summary>A lab catalogue entry for files at hand (`research data add NAME PATH...`): each file's name, URL, sha256 and size, as YAML.</summary>
public static class LabCatalogueEntry
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="urlBase">Where the lab will serve the files (each URL is this plus the file name); null for mirror-only files.</param>
    /// <exception cref="DataException">The name is taken or not a folder name, a path does not exist, or two files share a name.</exception>
    public static string Write(string name, IReadOnlyList<string> paths, DatasetRegistry registry, string? urlBase)
    {
        if (!LabFileSettings.IsPlainName(name))
            throw new DataException($"'{name}' cannot name a dataset: it becomes a folder name (no '/', '\\', ':' or leading '.')");
        if (DataSource.GeneratorNames.ContainsKey(name))
            throw new DataException($"'{name}' is a built-in generator; choose another name");
        if (registry.TryGet(name, out _))
            throw new DataException($"'{name}' is already a registered dataset{(registry.LabCatalogue is null ? "" : $" (built-in or in {registry.LabCatalogue})")}; choose another name");
        if (paths.Count == 0)
            throw new DataException("add needs the dataset's files (or a folder holding them) after its name");
        var files = paths.SelectMany(Expand).ToList();
        var twice = files.GroupBy(Path.GetFileName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new DataException($"two files are named '{twice.Key}' ({string.Join(", ", twice)}): a dataset folder holds each name once");

        var yaml = new StringBuilder();
        yaml.Append("# Add under `datasets:` in the lab catalogue (data.catalogue or $").Append(LabCatalogue.Variable).Append("), then put the files in\n")
            .Append("# $").Append(DataDirectories.MirrorVariable).Append('/').Append(name).Append("/ or serve them at their URLs for `research data fetch ").Append(name).Append("`.\n")
            .Append("datasets:\n")
            .Append("  - name: ").Append(name).Append('\n')
            .Append("    description: \"\"\n")
            .Append("    files:\n");
        foreach (var file in files.Select(SourceFile.Of))
        {
            var fileName = Path.GetFileName(file.Path);
            var url = urlBase is null ? "null" : Quote($"{urlBase.TrimEnd('/')}/{Uri.EscapeDataString(fileName)}");
            yaml.Append("      - name: ").Append(Quote(fileName)).Append('\n')
                .Append("        url: ").Append(url).Append('\n')
                .Append("        sha256: ").Append(file.Sha256).Append('\n')
                .Append("        bytes: ").Append(file.Bytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return yaml.ToString();
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
            return Directory.EnumerateFiles(path).Order(StringComparer.Ordinal);
        return File.Exists(path) ? [path] : throw DataException.In(path, "no such file or folder");
    }

    // A JSON string is a valid YAML double-quoted scalar.
    private static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);
}
