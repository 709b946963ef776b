using System.Text;

namespace Research.Experiments.Logging;

/// <summary>
/// A text file that only ever grows by whole lines: lines are buffered and appended in batches, a torn last line
/// (a crash mid-write) is cut off at open, and on resume the file is cut back in place (SetLength) at the first line
/// past the checkpoint; what stays is never rewritten.
/// </summary>
internal sealed class AppendOnlyLines : IDisposable
{
    // Bounds memory when a run logs many rows between epoch ends; whole lines still reach the file together.
    private const int MaxBufferedLines = 4096;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private readonly List<string> _pending = [];
    private bool _disposed;

    private AppendOnlyLines(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        _writer = new StreamWriter(stream, Utf8NoBom) { NewLine = "\n", AutoFlush = false };
    }

    public string Path { get; }

    /// <param name="header">First line of a new file; an existing non-empty file must start with it.</param>
    /// <param name="keep">When given, the file is cut at the first line (after the header) it rejects; lines are in step
    /// order, so every later line belongs to the lost run too.</param>
    public static AppendOnlyLines Open(string path, string? header, Func<string, bool>? keep)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (File.Exists(full))
        {
            CutTornLastLine(full);
            CheckHeader(full, header);
            if (keep is not null)
                CutAtFirstRejected(full, header, keep);
        }

        var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        var lines = new AppendOnlyLines(full, stream);
        if (stream.Length == 0 && header is not null)
        {
            lines._pending.Add(header);
            lines.Flush();
        }

        return lines;
    }

    public void Add(string line)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _pending.Add(line);
        if (_pending.Count >= MaxBufferedLines)
            Flush();
    }

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending.Count == 0)
            return;
        foreach (var line in _pending)
            _writer.WriteLine(line);
        _pending.Clear();
        _writer.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Flush();
        _disposed = true;
        _writer.Dispose();
    }

    private static void CutTornLastLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var end = stream.Length;
        var cut = end;
        var one = new byte[1];
        while (cut > 0)
        {
            stream.Position = cut - 1;
            stream.ReadExactly(one);
            if (one[0] == (byte)'\n')
                break;
            cut--;
        }

        if (cut != end)
            stream.SetLength(cut);
    }

    private static void CheckHeader(string path, string? header)
    {
        if (header is null)
            return;
        using var reader = new StreamReader(path, Utf8NoBom);
        var first = reader.ReadLine();
        if (first is not null && first != header)
            throw new InvalidDataException($"{path}: first line is '{first}', expected the header '{header}'; refusing to append to a different file.");
    }

    private static void CutAtFirstRejected(string path, string? header, Func<string, bool> keep)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var line = new List<byte>();
        var (lineStart, number) = (0L, 0);
        for (var next = stream.ReadByte(); next >= 0; next = stream.ReadByte())
        {
            if (next != '\n')
            {
                line.Add((byte)next);
                continue;
            }

            number++;
            var text = Utf8NoBom.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
            line.Clear();
            if (!(number == 1 && header is not null) && text.Length > 0 && !Keeps(keep, text, path, number))
            {
                stream.SetLength(lineStart);
                return;
            }

            lineStart = stream.Position;
        }
    }

    private static bool Keeps(Func<string, bool> keep, string line, string path, int number)
    {
        try
        {
            return keep(line);
        }
        catch (Exception e) when (e is FormatException or OverflowException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"{path}:{number}: cannot read the step of '{line}' to resume from it ({e.Message}).", e);
        }
    }
}
