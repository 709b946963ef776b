using System.Text;

namespace Research.Experiments.Logging;

/// <summary>
/// metrics.csv in long format (wall_time,step,epoch,split,name,value): rows are buffered and appended at Flush, so
/// pandas can read the file during a run and a crash loses at most the rows since the last flush.
/// </summary>
public sealed class CsvMetricsSink : IMetricsSink
{
    public const string Header = "wall_time,step,epoch,split,name,value";

    private readonly AppendOnlyLines _file;

    private CsvMetricsSink(AppendOnlyLines file) => _file = file;

    public string Path => _file.Path;

    /// <summary>
    /// Opens (or creates) the file for appending; an existing file keeps its header. With resumeFromStep, the file is
    /// cut back at its first row with a larger step: a resumed run restarts from that checkpoint and logs them again.
    /// </summary>
    public static CsvMetricsSink Open(string path, long? resumeFromStep = null) =>
        new(AppendOnlyLines.Open(path, Header, resumeFromStep is { } last ? line => StepOf(line) <= last : null));

    public void Write(MetricRecord record) => _file.Add(Format(record));

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    internal static string Format(MetricRecord r) => new StringBuilder()
        .Append(MetricText.Format(r.WallTime)).Append(',')
        .Append(r.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
        .Append(r.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
        .Append(Quote(r.Split)).Append(',')
        .Append(Quote(r.Name)).Append(',')
        .Append(MetricText.Format(r.Value))
        .ToString();

    // RFC 4180 quoting, only where a name needs it, so ordinary rows stay plain.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static long StepOf(string line) => long.Parse(MetricsCsvReader.SplitFields(line)[1], System.Globalization.CultureInfo.InvariantCulture);
}
