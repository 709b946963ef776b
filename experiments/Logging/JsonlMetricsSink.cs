using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Research.Experiments.Logging;

/// <summary>
/// metrics.jsonl: one flat JSON object per record with the CSV's fields, same buffered append and resume rules.
/// Non-finite values are written as NaN / Infinity / -Infinity, the way Python's json module writes and reads them.
/// </summary>
public sealed class JsonlMetricsSink : IMetricsSink
{
    // Plain quotes and non-ASCII letters stay readable (the default encoder escapes them for HTML pages).
    private static readonly JsonSerializerOptions Strings = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AppendOnlyLines _file;

    private JsonlMetricsSink(AppendOnlyLines file) => _file = file;

    public string Path => _file.Path;

    /// <summary>Opens (or creates) the file for appending; with resumeFromStep, it is cut back at its first line with a larger step.</summary>
    public static JsonlMetricsSink Open(string path, long? resumeFromStep = null) =>
        new(AppendOnlyLines.Open(path, header: null, resumeFromStep is { } last ? line => MetricsJsonlReader.ParseLine(line).Step <= last : null));

    public void Write(MetricRecord record) => _file.Add(Format(record));

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    internal static string Format(MetricRecord r) => new StringBuilder()
        .Append("{\"wall_time\":").Append(Number(r.WallTime))
        .Append(",\"step\":").Append(r.Step.ToString(CultureInfo.InvariantCulture))
        .Append(",\"epoch\":").Append(r.Epoch.ToString(CultureInfo.InvariantCulture))
        .Append(",\"split\":").Append(JsonSerializer.Serialize(r.Split, Strings))
        .Append(",\"name\":").Append(JsonSerializer.Serialize(r.Name, Strings))
        .Append(",\"value\":").Append(Number(r.Value))
        .Append('}')
        .ToString();

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
