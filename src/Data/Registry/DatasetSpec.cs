namespace Research.Data.Registry;

/// <summary>A named dataset: where it comes from, its files with checksums, and the statistics it must reproduce.</summary>
public sealed record DatasetSpec(
    string Name,
    string Description,
    string Source,
    IReadOnlyList<DatasetFile> Files,
    IReadOnlyList<ExpectedStatistic> Statistics)
{
    public long TotalBytes => Files.Sum(f => f.Bytes);
}
