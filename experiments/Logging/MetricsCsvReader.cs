using System.Globalization;
using System.Text;

namespace Research.Experiments.Logging;

/// <summary>Reads a metrics.csv written by <see cref="CsvMetricsSink"/> back into records (plots, run comparisons).</summary>
public static class MetricsCsvReader
{
    /// <summary>All complete rows; safe to call while a run is still appending to the file.</summary>
    public static IReadOnlyList<MetricRecord> Read(string path)
    {
        var lines = LiveFile.CompleteLines(path);
        if (lines.Count == 0)
            return [];
        var header = lines[0];
        if (header != CsvMetricsSink.Header)
            throw new InvalidDataException($"{path}: header is '{header}', expected '{CsvMetricsSink.Header}'.");

        var records = new List<MetricRecord>();
        for (var k = 1; k < lines.Count; k++)
        {
            var (line, lineNumber) = (lines[k], k + 1);
            if (line.Length == 0)
                continue;
            var fields = SplitFields(line);
            if (fields.Count != 6)
                throw new InvalidDataException($"{path}:{lineNumber}: expected 6 fields, found {fields.Count}: '{line}'.");
            try
            {
                records.Add(new MetricRecord(
                    MetricText.ParseDouble(fields[0]),
                    long.Parse(fields[1], CultureInfo.InvariantCulture),
                    int.Parse(fields[2], CultureInfo.InvariantCulture),
                    fields[3],
                    fields[4],
                    MetricText.ParseDouble(fields[5])));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {e.Message} in '{line}'.", e);
            }
        }

        return records;
    }

    /// <summary>Splits one CSV line, honouring RFC 4180 quotes (names with commas are quoted by the sink).</summary>
    internal static List<string> SplitFields(string line)
    {
        var fields = new List<string>(6);
        var field = new StringBuilder();
        var quoted = false;
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (quoted)
            {
                if (c == '"' && k + 1 < line.Length && line[k + 1] == '"')
                {
                    field.Append('"');
                    k++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
