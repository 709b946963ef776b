using System.Globalization;
using Microsoft.Data.Analysis;

namespace Research.Data.TimeSeries;

/// <summary>
/// Reads a CSV file into a <see cref="TimeSeriesFrame"/>. The numbers are read by Microsoft.Data.Analysis
/// (<see cref="DataFrame.LoadCsvFromString"/> with explicit column types); before that, one pass over the text checks
/// every line, because the DataFrame reader skips blank lines, turns short rows into nulls and accepts "1,5" as 15,
/// so only a pass of our own can name the bad line and column. Handles LF and CRLF and a missing final newline.
/// </summary>
public static class TimeSeriesCsv
{
    public static TimeSeriesFrame Load(string path, TimeSeriesCsvOptions options)
    {
        if (Directory.Exists(path))
            throw DataException.In(path, "is a directory, not a CSV file");
        if (!File.Exists(path))
            throw DataException.In(path, "file not found");
        return Parse(File.ReadAllText(path), path, options);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static TimeSeriesFrame Parse(string text, string source, TimeSeriesCsvOptions options)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw DataException.In(source, "empty file: expected a header line and data rows");
        var checkedText = CheckText(text, source, options);
        return ReadNumbers(text, source, options, checkedText);
    }

    private sealed record CheckedText(string[] Header, int TimeIndex, string[] ValueColumns, DateTime[] Timestamps);

    private static CheckedText CheckText(string text, string source, TimeSeriesCsvOptions options)
    {
        var formats = (options.TimeFormats ?? TimeSeriesCsvOptions.DefaultTimeFormats).ToArray();
        var fields = new List<CsvField>();
        var timestamps = new List<DateTime>();
        string[]? header = null;
        int timeIndex = -1, previousLine = 0;
        int[] valueIndices = [];
        string[] valueColumns = [];
        var isValue = Array.Empty<bool>();
        var firstBlankLine = 0;
        var lineNumber = 0;
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var next = end < 0 ? text.Length : end + 1;
            var line = text.AsSpan(position, (end < 0 ? text.Length : end) - position);
            position = next;
            lineNumber++;
            if (line.EndsWith("\r"))
                line = line[..^1];
            if (line.IsEmpty)
            {
                // Blank lines at the end are harmless; one between rows would shift every later line number.
                if (firstBlankLine == 0)
                    firstBlankLine = lineNumber;
                continue;
            }
            if (firstBlankLine != 0)
                throw DataException.At(source, firstBlankLine, "empty line between data rows");
            var quoting = CsvFields.Split(line, options.Separator, fields);
            if (quoting is not null)
                throw DataException.At(source, lineNumber, quoting);

            if (header is null)
            {
                header = new string[fields.Count];
                for (var c = 0; c < header.Length; c++)
                    header[c] = fields[c].Text(line).Trim(); // as the DataFrame reader names its columns
                CheckHeader(header, source);
                timeIndex = ColumnIndex(header, options.TimeColumn, source);
                valueColumns = [.. options.ValueColumns ?? header.Where((_, i) => i != timeIndex)];
                if (valueColumns.Length == 0)
                    throw DataException.At(source, 1, $"no value columns to read besides the time column '{options.TimeColumn}'");
                valueIndices = [.. valueColumns.Select(c => ColumnIndex(header, c, source))];
                if (valueIndices.Contains(timeIndex))
                    throw DataException.At(source, 1, $"'{options.TimeColumn}' is the time column and cannot also be a value column");
                var repeated = valueColumns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
                if (repeated is not null)
                    throw DataException.At(source, 1, $"value column '{repeated.Key}' is asked for twice");
                isValue = new bool[header.Length];
                foreach (var v in valueIndices)
                    isValue[v] = true;
                continue;
            }

            if (fields.Count != header.Length)
                throw DataException.At(source, lineNumber, $"{fields.Count} fields, but the header (line 1) has {header.Length}");

            var time = ParseTime(line, fields[timeIndex], formats, source, lineNumber, header[timeIndex], timeIndex);
            if (timestamps.Count > 0 && time <= timestamps[^1])
            {
                throw DataException.At(source, lineNumber,
                    $"column '{header[timeIndex]}': {Show(time)} does not come after {Show(timestamps[^1])} on line {previousLine}; " +
                    "the time column must be strictly increasing");
            }
            timestamps.Add(time);
            previousLine = lineNumber;

            for (var c = 0; c < header.Length; c++)
            {
                if (isValue[c])
                    CheckNumber(line, fields[c], options.AllowMissingValues, source, lineNumber, header[c], c);
            }
        }
        if (header is null)
            throw DataException.In(source, "empty file: expected a header line and data rows");
        if (timestamps.Count == 0)
            throw DataException.At(source, 2, "no data rows after the header");
        return new CheckedText(header, timeIndex, valueColumns, [.. timestamps]);
    }

    private static void CheckHeader(string[] header, string source)
    {
        for (var c = 0; c < header.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(header[c]))
                throw DataException.At(source, 1, $"column {c + 1} has an empty name in the header");
            var first = Array.IndexOf(header, header[c]);
            if (first != c)
                throw DataException.At(source, 1, $"column name '{header[c]}' appears twice in the header (columns {first + 1} and {c + 1})");
        }
    }

    private static int ColumnIndex(string[] header, string name, string source)
    {
        var index = Array.IndexOf(header, name);
        if (index < 0)
            throw DataException.At(source, 1, ColumnNameSuggestion.UnknownColumn(name, header));
        return index;
    }

    private static DateTime ParseTime(ReadOnlySpan<char> line, CsvField field, string[] formats, string source, int lineNumber, string column, int index)
    {
        var text = line.Slice(field.Start, field.Length).Trim();
        if (text.IsEmpty)
            throw DataException.At(source, lineNumber, $"column {index + 1} '{column}': empty timestamp");
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw DataException.At(source, lineNumber,
                $"column {index + 1} '{column}': cannot read '{text}' as a timestamp (expected one of: {string.Join(", ", formats)})");
        }
        return time;
    }

    private static void CheckNumber(ReadOnlySpan<char> line, CsvField field, bool allowMissing, string source, int lineNumber, string column, int index)
    {
        var text = line.Slice(field.Start, field.Length);
        if (text.IsWhiteSpace())
        {
            if (allowMissing)
                return;
            throw DataException.At(source, lineNumber,
                $"column {index + 1} '{column}': empty cell (missing value); set AllowMissingValues to read it as NaN");
        }
        // Float style, invariant culture: no thousands separators, so "1,5" is an error rather than 15.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw DataException.At(source, lineNumber, $"column {index + 1} '{column}': cannot read '{text}' as a number");
        if (!double.IsFinite(value) && !(allowMissing && double.IsNaN(value)))
            throw DataException.At(source, lineNumber, $"column {index + 1} '{column}': '{text.Trim()}' is not a finite number");
    }

    private static TimeSeriesFrame ReadNumbers(string text, string source, TimeSeriesCsvOptions options, CheckedText checkedText)
    {
        var header = checkedText.Header;
        var types = header.Select(h => checkedText.ValueColumns.Contains(h) ? typeof(double) : typeof(string)).ToArray();
        DataFrame frame;
        try
        {
            frame = DataFrame.LoadCsvFromString(text, options.Separator, header: true, dataTypes: types, cultureInfo: CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw DataException.In(source, $"Microsoft.Data.Analysis could not read the file after it passed our checks: {e.Message}");
        }
        var rows = checkedText.Timestamps.Length;
        if (frame.Rows.Count != rows)
            throw DataException.In(source, $"Microsoft.Data.Analysis read {frame.Rows.Count} rows where the text has {rows}");

        var width = checkedText.ValueColumns.Length;
        var values = new double[rows * width];
        for (var j = 0; j < width; j++)
        {
            var column = (DoubleDataFrameColumn)frame.Columns[checkedText.ValueColumns[j]];
            for (var r = 0; r < rows; r++)
                values[(r * width) + j] = column[r] ?? double.NaN;
        }
        return TimeSeriesFrame.Wrap(source, checkedText.Timestamps, checkedText.ValueColumns, values);
    }

    private static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
