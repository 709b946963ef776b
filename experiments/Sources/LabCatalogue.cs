using Research.Data;
using Research.Data.Registry;
using Research.Experiments.Config;
using Research.Experiments.Settings;

namespace Research.Experiments.Sources;

/// <summary>Reads a lab's catalogue file (typed, through the one config loader) and merges it with the built-in registry.</summary>
public static class LabCatalogue
{
    public const string Variable = "RESEARCH_CATALOGUE";

    /// <summary>The registry with <paramref name="catalogue"/> (else $RESEARCH_CATALOGUE) merged in; the built-in one when neither is set.</summary>
    /// <exception cref="DataException">The catalogue file does not exist or reuses a built-in name.</exception>
    /// <exception cref="ConfigException">A key or value of the catalogue is wrong (named with its line).</exception>
    public static DatasetRegistry Registry(string? catalogue)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        var path = catalogue ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment);
        if (path is null)
            return DatasetRegistry.BuiltIn;
        if (!File.Exists(path))
            throw DataException.In(path, $"no such lab catalogue file ({(catalogue is null ? $"${Variable}" : "data.catalogue")})");
        return new DatasetRegistry(Entries(path), path);
    }

    private static IEnumerable<DatasetSpec> Entries(string path) =>
        ConfigLoader.Load<LabCatalogueSettings>(path).Value.Datasets.Select(d => new DatasetSpec(
            d.Name,
            d.Description,
            d.Source.Length > 0 ? d.Source : $"lab catalogue {path}",
            [.. d.Files.Select(f => new DatasetFile(f.Name, f.Url, f.Sha256, f.Bytes))],
            []));
}
