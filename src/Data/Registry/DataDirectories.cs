namespace Research.Data.Registry;

/// <summary>
/// Where datasets are looked for: a local mirror (read-only, one sub-folder per dataset: $RESEARCH_DATA_DIR or the
/// `data.dir` config key) first, then the download cache ($RESEARCH_CACHE_DIR, else ~/.cache/research/datasets).
/// </summary>
public sealed record DataDirectories(string? Mirror, string Cache)
{
    public const string MirrorVariable = "RESEARCH_DATA_DIR";
    public const string CacheVariable = "RESEARCH_CACHE_DIR";

    public static DataDirectories FromEnvironment(string? mirrorOverride = null, string? cacheOverride = null)
    {
        var mirror = mirrorOverride ?? NonEmpty(Environment.GetEnvironmentVariable(MirrorVariable));
        var cache = cacheOverride ?? NonEmpty(Environment.GetEnvironmentVariable(CacheVariable)) ?? DefaultCache();
        return new DataDirectories(mirror is null ? null : Path.GetFullPath(mirror), Path.GetFullPath(cache));
    }

    /// <summary>The folder holding every file of the dataset: the mirror's if complete, else the cache's.</summary>
    /// <exception cref="DataException">Neither holds all its files.</exception>
    public string Locate(DatasetSpec spec)
    {
        foreach (var root in Candidates())
        {
            var dir = Path.Combine(root, spec.Name);
            if (spec.Files.All(f => File.Exists(Path.Combine(dir, f.Name))))
                return dir;
        }
        var looked = string.Join(" and ", Candidates().Select(c => Path.Combine(c, spec.Name)));
        throw new DataException($"dataset '{spec.Name}' not found in {looked}; run `research data fetch {spec.Name}` or set {MirrorVariable}");
    }

    public string CacheFolder(DatasetSpec spec) => Path.Combine(Cache, spec.Name);

    private IEnumerable<string> Candidates() => Mirror is null ? [Cache] : [Mirror, Cache];

    private static string DefaultCache()
    {
        var xdg = NonEmpty(Environment.GetEnvironmentVariable("XDG_CACHE_HOME"));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(xdg ?? Path.Combine(home, ".cache"), "research", "datasets");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
