namespace Research.Data.Registry;

/// <summary>
/// One file of a dataset: its name in the dataset folder, a public URL pinned to a commit (null for a lab's file that
/// is only in its mirror), its checksum and size in bytes.
/// </summary>
public sealed record DatasetFile(string Name, string? Url, string Sha256, long Bytes);
