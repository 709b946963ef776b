using Research.Data.Registry;

namespace Research.Data.Sources;

/// <summary>One file an experiment read: its full path, sha256 and size, as a run records it.</summary>
public sealed record SourceFile(string Path, string Sha256, long Bytes)
{
    public static SourceFile Of(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return new SourceFile(full, FileChecksum.Sha256(full), new FileInfo(full).Length);
    }
}
