namespace Research.Data.Registry;

/// <summary>
/// The datasets known by name: the built-in <see cref="DatasetCatalog"/> followed by a lab's own catalogue entries.
/// A lab entry gets the same locate, fetch, verify and cache as a built-in one; it may not reuse a built-in name,
/// so a name always means the same bytes.
/// </summary>
public sealed class DatasetRegistry
{
    private readonly DatasetSpec[] _all;

    public DatasetRegistry(IEnumerable<DatasetSpec> labEntries, string? labCatalogue = null)
    {
        var all = new List<DatasetSpec>(DatasetCatalog.All);
        foreach (var entry in labEntries)
        {
            if (all.Any(d => d.Name == entry.Name))
            {
                var where = labCatalogue is null ? "" : $"{labCatalogue}: ";
                throw new DataException($"{where}dataset '{entry.Name}' is already {(DatasetCatalog.All.Any(d => d.Name == entry.Name) ? "a built-in dataset" : "listed")}; give the lab's entry another name");
            }
            all.Add(entry);
        }
        _all = [.. all];
        LabCatalogue = labCatalogue;
    }

    /// <summary>The built-in datasets alone.</summary>
    public static DatasetRegistry BuiltIn { get; } = new([]);

    /// <summary>The lab catalogue file merged in, if any (for messages).</summary>
    public string? LabCatalogue { get; }

    public IReadOnlyList<DatasetSpec> All => _all;

    public bool TryGet(string name, out DatasetSpec spec)
    {
        spec = _all.FirstOrDefault(d => d.Name == name)!;
        return spec is not null;
    }

    /// <exception cref="DataException">No dataset has this name (the message suggests the closest and lists all).</exception>
    public DatasetSpec Get(string name) => TryGet(name, out var spec)
        ? spec
        : throw new DataException($"unknown dataset '{name}'{Suggestion(name)} (known: {string.Join(", ", _all.Select(d => d.Name))})");

    /// <summary>"; did you mean 'x'?" for a near miss, else empty.</summary>
    public string Suggestion(string name)
    {
        var closest = _all.Select(d => (d.Name, Distance: EditDistance.Between(name, d.Name))).OrderBy(p => p.Distance).FirstOrDefault();
        return closest.Name is not null && closest.Distance <= Math.Max(1, name.Length / 3) ? $"; did you mean '{closest.Name}'?" : "";
    }
}
