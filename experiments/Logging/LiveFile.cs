using System.Text;

namespace Research.Experiments.Logging;

/// <summary>Reads a metrics file that a running training may still be appending to.</summary>
internal static class LiveFile
{
    // ReadWrite sharing: the sink keeps its handle open for the whole run (Windows would refuse otherwise).
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>The complete lines only: a last line without its newline is still being written (or was torn by a crash).</summary>
    public static IReadOnlyList<string> CompleteLines(string path)
    {
        using var reader = new StreamReader(OpenRead(path), Encoding.UTF8);
        var text = reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
    }
}
