using Research.Data.Registry;

namespace Research.Data.Sources;

/// <summary>
/// Where an experiment's data comes from, under the name its runs are recorded with: a registered dataset (built-in or
/// a lab's catalogue), a file or folder of one's own, or a built-in generator. <see cref="Resolve"/> is the one place a
/// name or a path becomes a source; nothing is read yet.
/// </summary>
public abstract record DataSource(string Name)
{
    /// <summary>The name of each generator as configs write it (data.name: markov).</summary>
    public static IReadOnlyDictionary<string, Generator> GeneratorNames { get; } =
        Enum.GetValues<Generator>().ToDictionary(g => g.ToString().ToLowerInvariant(), g => g, StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="path"/> when given (a file or folder of one's own, named <paramref name="name"/> or after the
    /// file), else <paramref name="name"/> as a generator or a registered dataset.
    /// </summary>
    /// <exception cref="DataException">The path does not exist, the name is unknown, or a path is given a name that
    /// already means a registered dataset or a generator (its runs would be recorded under the wrong name).</exception>
    public static DataSource Resolve(string? name, string? path, DatasetRegistry registry)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name;
        if (!string.IsNullOrWhiteSpace(path))
        {
            var full = System.IO.Path.GetFullPath(path);
            if (!File.Exists(full) && !Directory.Exists(full))
                throw DataException.In(path, $"no such file or folder (data.path; full path {full})");
            if (name is not null && (GeneratorNames.ContainsKey(name) || registry.TryGet(name, out _)))
            {
                throw DataException.In(path,
                    $"data.name '{name}' is {(GeneratorNames.ContainsKey(name) ? "a built-in generator" : "a registered dataset")}; " +
                    "name data of your own something else (or leave data.name out to use the file's name)");
            }
            return new OwnData(name ?? NameOf(full), full);
        }
        if (name is null)
            throw new DataException("no data: give data.name (a registered dataset or a generator) or data.path (a file or folder of your own)");
        if (GeneratorNames.TryGetValue(name, out var generator))
            return new GeneratedData(generator);
        if (registry.TryGet(name, out var spec))
            return new RegisteredData(spec);
        throw new DataException($"unknown dataset '{name}'{registry.Suggestion(name)} (registered: {string.Join(", ", registry.All.Select(d => d.Name))}; " +
            $"generators: {string.Join(", ", GeneratorNames.Keys)}); for a file or folder of your own set data.path");
    }

    // "corpus" for /data/corpus.txt, "my-wiki" for /data/my-wiki/.
    private static string NameOf(string fullPath)
    {
        var trimmed = fullPath.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        return Directory.Exists(trimmed) ? System.IO.Path.GetFileName(trimmed) : System.IO.Path.GetFileNameWithoutExtension(trimmed);
    }
}

/// <summary>A dataset of the registry: its files are located in the mirror or cache and checked against their sha256.</summary>
public sealed record RegisteredData(DatasetSpec Spec) : DataSource(Spec.Name);

/// <summary>A file or folder of one's own (data.path), recorded under <paramref name="Name"/>.</summary>
public sealed record OwnData(string Name, string Path) : DataSource(Name)
{
    public bool IsFolder => Directory.Exists(Path);
}

/// <summary>A built-in generator; nothing is read from disk.</summary>
public sealed record GeneratedData(Generator Generator) : DataSource(Generator.ToString().ToLowerInvariant());
