namespace Research.Data.Registry;

/// <summary>One file of a dataset: its name in the dataset folder, a public URL pinned to a commit, and its checksum.</summary>
public sealed record DatasetFile(string Name, string Url, string Sha256, long Bytes);
