using Research.Data.Text;

namespace Research.Data.Registry;

/// <summary>
/// A named dataset: where it comes from, its files with checksums, the statistics it must reproduce, and for a text
/// corpus how each level is read (the first is the default). A lab's own entries have no statistics and usually no
/// readings: their files are then read like a folder of one's own (docs/data.md).
/// </summary>
public sealed record DatasetSpec(
    string Name,
    string Description,
    string Source,
    IReadOnlyList<DatasetFile> Files,
    IReadOnlyList<ExpectedStatistic> Statistics,
    IReadOnlyList<TextReading>? TextReadings = null)
{
    public long TotalBytes => Files.Sum(f => f.Bytes);

    /// <summary>How the dataset is read as text, per level; empty when its files are read like a folder of one's own.</summary>
    public IReadOnlyList<TextReading> Text => TextReadings ?? [];
}
