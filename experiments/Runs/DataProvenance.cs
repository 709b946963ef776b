using Research.Data.Sources;

namespace Research.Experiments.Runs;

/// <summary>
/// What an experiment was built from: the source's name and kind (registered, path, generator, in_memory), every file
/// it read with its sha256, and facts worth reporting beside results (a generator's entropy rate).
/// </summary>
public sealed record DataProvenance(string Dataset, string Kind, IReadOnlyList<SourceFile> Files, IReadOnlyDictionary<string, double> Facts)
{
    public static DataProvenance Of(DataSource source, IReadOnlyList<SourceFile> files, IReadOnlyDictionary<string, double>? facts = null) =>
        new(source.Name, KindOf(source), files, facts ?? new Dictionary<string, double>());

    /// <summary>Data handed over in memory (a notebook's DataFrame): nothing was read from disk.</summary>
    public static DataProvenance InMemory(string name) => new(name, "in_memory", [], new Dictionary<string, double>());

    private static string KindOf(DataSource source) => source switch
    {
        RegisteredData => "registered",
        OwnData => "path",
        GeneratedData => "generator",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}
