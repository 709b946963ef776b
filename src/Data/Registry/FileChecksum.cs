using System.Security.Cryptography;

namespace Research.Data.Registry;

/// <summary>SHA-256 of a file as lower-case hex, the form SOURCE.md files and the catalog use.</summary>
public static class FileChecksum
{
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
