using System.Text;

namespace Research.Experiments.Logging;

/// <summary>
/// A text file that only ever grows by whole lines: lines are buffered and appended in batches, a torn last line
/// (a crash mid-write) is cut off at open, and an optional keep-filter rewrites the file once at open (resume).
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
    /// <param name="keep">When given, lines (after the header) it rejects are removed by rewriting the file once.</param>
    public static AppendOnlyLines Open(string path, string? header, Func<string, bool>? keep)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (File.Exists(full))
        {
            CutTornLastLine(full);
            CheckHeader(full, header);
            if (keep is not null)
                RewriteKeeping(full, header, keep);
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

    private static void RewriteKeeping(string path, string? header, Func<string, bool> keep)
    {
        var temporary = path + ".resume.tmp";
        try
        {
            using var reader = new StreamReader(path, Utf8NoBom);
            using var writer = new StreamWriter(temporary, append: false, Utf8NoBom) { NewLine = "\n" };
            var number = 0;
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                number++;
                if ((number == 1 && header is not null) || (line.Length > 0 && Keeps(keep, line, path, number)))
                    writer.WriteLine(line);
            }
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        // Rename over the original so a crash during the rewrite leaves the old file, never a half-written one.
        File.Move(temporary, path, overwrite: true);
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
