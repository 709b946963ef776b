using System.Globalization;
using System.Text.Json;

namespace Research.Experiments.Logging;

/// <summary>Reads metrics.jsonl back into records; a small scanner because System.Text.Json rejects bare NaN/Infinity.</summary>
public static class MetricsJsonlReader
{
    /// <summary>All complete lines; safe to call while a run is still appending to the file.</summary>
    public static IReadOnlyList<MetricRecord> Read(string path)
    {
        var records = new List<MetricRecord>();
        var lineNumber = 0;
        foreach (var line in LiveFile.CompleteLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                records.Add(ParseLine(line));
            }
            catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {e.Message} in '{line}'.", e);
            }
        }

        return records;
    }

    internal static MetricRecord ParseLine(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var k = 0;
        Expect(line, ref k, '{');
        while (true)
        {
            var key = JsonSerializer.Deserialize<string>(Token(line, ref k))!;
            Expect(line, ref k, ':');
            var raw = Token(line, ref k);
            fields[key] = raw.StartsWith('"') ? JsonSerializer.Deserialize<string>(raw)! : raw;
            SkipSpace(line, ref k);
            if (k < line.Length && line[k] == ',')
            {
                k++;
                continue;
            }

            Expect(line, ref k, '}');
            break;
        }

        return new MetricRecord(
            MetricText.ParseDouble(fields["wall_time"]),
            long.Parse(fields["step"], CultureInfo.InvariantCulture),
            int.Parse(fields["epoch"], CultureInfo.InvariantCulture),
            fields["split"],
            fields["name"],
            MetricText.ParseDouble(fields["value"]));
    }

    // A quoted string (escapes kept, for JsonSerializer to decode) or a bare literal up to the next ',' or '}'.
    private static string Token(string line, ref int k)
    {
        SkipSpace(line, ref k);
        var start = k;
        if (k < line.Length && line[k] == '"')
        {
            for (k++; k < line.Length && line[k] != '"'; k++)
            {
                if (line[k] == '\\')
                    k++;
            }

            if (k >= line.Length)
                throw new FormatException("unterminated string");
            k++;
            return line[start..k];
        }

        while (k < line.Length && line[k] is not (',' or '}' or ':'))
            k++;
        var literal = line[start..k].Trim();
        return literal.Length > 0 ? literal : throw new FormatException($"missing value at column {start + 1}");
    }

    private static void Expect(string line, ref int k, char expected)
    {
        SkipSpace(line, ref k);
        if (k >= line.Length || line[k] != expected)
            throw new FormatException($"expected '{expected}' at column {k + 1}");
        k++;
    }

    private static void SkipSpace(string line, ref int k)
    {
        while (k < line.Length && char.IsWhiteSpace(line[k]))
            k++;
    }
}
