using System.Globalization;
using Research.Data.Registry;

namespace Research.Experiments.Reporting;

/// <summary>A one-line download bar on a terminal; on a pipe or file it writes one line per finished file instead.</summary>
public sealed class ConsoleDownloadBar(TextWriter writer) : IProgress<DownloadProgress>
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private DownloadProgress? _last;
    private DateTime _lastDraw = DateTime.MinValue;

    public void Report(DownloadProgress value)
    {
        if (_last is { } previous && previous.File != value.File)
            Done(previous);
        _last = value;
        if (!_interactive || (DateTime.UtcNow - _lastDraw).TotalMilliseconds < 100)
            return;
        _lastDraw = DateTime.UtcNow;
        var mb = (value.Received / 1e6).ToString("F1", CultureInfo.InvariantCulture);
        if (value.Total is { } total and > 0)
        {
            var fraction = (double)value.Received / total;
            var filled = (int)(fraction * 30);
            writer.Write($"\r{value.File} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction:P0} {mb} MB   ");
        }
        else
        {
            writer.Write($"\r{value.File} {mb} MB   ");
        }
    }

    public void Finish()
    {
        if (_last is { } last)
            Done(last);
        _last = null;
    }

    private void Done(DownloadProgress p)
    {
        var prefix = _interactive ? "\r" : "";
        writer.WriteLine($"{prefix}{p.File}: {(p.Received / 1e6).ToString("F1", CultureInfo.InvariantCulture)} MB, sha256 checked".PadRight(60));
    }
}
