using System.Globalization;

namespace Research.Data.TimeSeries;

/// <summary>
/// Reads a delimited text file (.csv, .tsv, .txt) into a <see cref="TimeSeriesFrame"/> in one pass that parses every
/// cell once, straight into the frame's arrays. Every bad line is one <see cref="DataException"/> naming the file, the
/// line, the column and the value: a wrong field count, an unreadable or empty cell, an unparseable or out-of-order
/// timestamp, an unknown column, a header row in a file declared headerless. Handles LF and CRLF, a missing final
/// newline, RFC 4180 quoting (no line breaks inside quotes) and trailing blank lines. Missing steps are then handled
/// by <see cref="MissingSteps"/> as <see cref="TimeSeriesCsvOptions.FillMissing"/> says.
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
            throw DataException.In(source, options.HasHeader ? "empty file: expected a header line and data rows" : "empty file: expected data rows");
        var reader = new Reader(source, options);
        reader.ReadAll(text);
        return reader.ToFrame();
    }

    /// <summary>The state of one pass: the columns once known, then every row's time, values and line number.</summary>
    private sealed class Reader(string source, TimeSeriesCsvOptions options)
    {
        private readonly TimestampFormat _format = new(options.TimeFormats, options.TwoDigitYearStart);
        private readonly List<CsvField> _fields = [];
        private readonly List<DateTime> _timestamps = [];
        private readonly List<double> _values = [];
        private readonly List<int> _lines = [];
        private readonly bool _emptyCellsAllowed = options.AllowMissingValues || options.FillMissing is FillMissing.Forward or FillMissing.Linear;
        private string[]? _names;
        private int _timeIndex = -1;
        private int[] _valueIndices = [];
        private string[] _valueColumns = [];

        public void ReadAll(string text)
        {
            var firstBlankLine = 0;
            var lineNumber = 0;
            var position = 0;
            while (position < text.Length)
            {
                var end = text.IndexOf('\n', position);
                var line = text.AsSpan(position, (end < 0 ? text.Length : end) - position);
                position = end < 0 ? text.Length : end + 1;
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
                var quoting = CsvFields.Split(line, options.Separator, _fields);
                if (quoting is not null)
                    throw DataException.At(source, lineNumber, quoting);
                if (_names is null)
                {
                    SetColumns(line, lineNumber);
                    if (options.HasHeader)
                        continue;
                }
                ReadRow(line, lineNumber);
            }
            if (_names is null)
                throw DataException.In(source, "empty file: expected a header line and data rows");
            if (_lines.Count == 0)
                throw DataException.At(source, 2, "no data rows after the header");
        }

        public TimeSeriesFrame ToFrame()
        {
            var timestamps = _timeIndex >= 0 ? _timestamps.ToArray() : GeneratedIndex();
            var frame = TimeSeriesFrame.Wrap(source, timestamps, _valueColumns, [.. _values]);
            var lines = _lines.ToArray();
            var places = new RowPlaces(
                r => $"{source}:{lines[r]}",
                r => $"line {lines[r]}",
                c => Column(_valueIndices[c]),
                _timeIndex >= 0 ? Column(_timeIndex) : "row index");
            return MissingSteps.Apply(frame, options.FillMissing, options.Frequency, places);
        }

        private DateTime[] GeneratedIndex()
        {
            var step = options.Frequency ?? throw DataException.In(source,
                "has no time column (time_column: null), so the rows are the time index: give the step between rows with frequency, e.g. 1d");
            var timestamps = new DateTime[_lines.Count];
            for (var r = 0; r < timestamps.Length; r++)
                timestamps[r] = step.Advance(options.Start, r);
            return timestamps;
        }

        private void SetColumns(ReadOnlySpan<char> line, int lineNumber)
        {
            string[] names;
            if (options.HasHeader)
            {
                names = new string[_fields.Count];
                for (var c = 0; c < names.Length; c++)
                    names[c] = _fields[c].Text(line).Trim();
                for (var c = 0; c < names.Length; c++)
                {
                    if (string.IsNullOrWhiteSpace(names[c]))
                        throw DataException.At(source, lineNumber, $"column {c + 1} has an empty name in the header");
                    var first = Array.IndexOf(names, names[c]);
                    if (first != c)
                        throw DataException.At(source, lineNumber, $"column name '{names[c]}' appears twice in the header (columns {first + 1} and {c + 1})");
                }
            }
            else
            {
                names = [.. options.ColumnNames ?? Enumerable.Range(0, _fields.Count).Select(c => c.ToString(CultureInfo.InvariantCulture))];
                if (names.Length != _fields.Count)
                {
                    throw DataException.At(source, lineNumber,
                        $"{_fields.Count} fields, but {names.Length} column names are given ({string.Join(", ", names)}); the file is read as headerless (header: false)");
                }
            }
            _names = names;
            if (options.TimeColumn is { } time)
            {
                // A file without a time column is common enough (LSTNet's .txt files) to say how to read one.
                if (!names.Contains(time))
                    throw DataException.At(source, lineNumber, $"time column: {ColumnNameSuggestion.UnknownColumn(time, names)}; time_column: null reads the rows as the time index");
                _timeIndex = ColumnIndex(time, lineNumber);
            }
            _valueColumns = [.. options.ValueColumns ?? names.Where((_, i) => i != _timeIndex)];
            if (_valueColumns.Length == 0)
                throw DataException.At(source, lineNumber, $"no value columns to read besides the time column '{options.TimeColumn}'");
            _valueIndices = [.. _valueColumns.Select(c => ColumnIndex(c, lineNumber))];
            if (_valueIndices.Contains(_timeIndex))
                throw DataException.At(source, lineNumber, $"'{options.TimeColumn}' is the time column and cannot also be a value column");
            var repeated = _valueColumns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
                throw DataException.At(source, lineNumber, $"value column '{repeated.Key}' is asked for twice");
        }

        private int ColumnIndex(string name, int lineNumber)
        {
            var index = Array.IndexOf(_names!, name);
            if (index < 0)
                throw DataException.At(source, lineNumber, ColumnNameSuggestion.UnknownColumn(name, _names!));
            return index;
        }

        private void ReadRow(ReadOnlySpan<char> line, int lineNumber)
        {
            var names = _names!;
            if (_fields.Count != names.Length)
                throw DataException.At(source, lineNumber, FieldCountProblem(line));
            if (_timeIndex >= 0)
            {
                var time = ParseTime(line, lineNumber);
                if (_timestamps.Count > 0 && time <= _timestamps[^1])
                {
                    throw DataException.At(source, lineNumber,
                        $"column '{names[_timeIndex]}': {Show(time)} does not come after {Show(_timestamps[^1])} on line {_lines[^1]}; " +
                        "the time column must be strictly increasing");
                }
                _timestamps.Add(time);
            }
            foreach (var c in _valueIndices)
                _values.Add(ParseNumber(line, c, lineNumber));
            _lines.Add(lineNumber);
        }

        private string FieldCountProblem(ReadOnlySpan<char> line)
        {
            var names = _names!;
            var expected = options.HasHeader ? $"the header (line 1) has {names.Length}" : $"{names.Length} column names are given";
            var detail = _fields.Count < names.Length
                ? $"{Column(_fields.Count)} is missing"
                : $"column {names.Length + 1} holds '{_fields[names.Length].Text(line).Trim()}' beyond them";
            return $"{_fields.Count} fields, but {expected}: {detail}";
        }

        private DateTime ParseTime(ReadOnlySpan<char> line, int lineNumber)
        {
            var text = Cell(line, _timeIndex);
            if (text.IsEmpty)
                throw DataException.At(source, lineNumber, $"{Column(_timeIndex)}: empty timestamp");
            if (!_format.TryParse(text, out var time))
                throw DataException.At(source, lineNumber, $"{Column(_timeIndex)}: cannot read '{text}' as a timestamp ({_format.Describe()}){HeaderHint(lineNumber)}");
            return time;
        }

        private double ParseNumber(ReadOnlySpan<char> line, int index, int lineNumber)
        {
            var text = Cell(line, index);
            if (text.IsEmpty)
            {
                if (_emptyCellsAllowed)
                    return double.NaN;
                throw DataException.At(source, lineNumber, $"{Column(index)}: empty cell (missing value); fill_missing: forward or linear fills it");
            }
            // Float style, invariant culture: no thousands separators, so "1,5" is an error rather than 15.
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw DataException.At(source, lineNumber, $"{Column(index)}: cannot read '{text}' as a number{HeaderHint(lineNumber)}");
            if (!double.IsFinite(value) && !(_emptyCellsAllowed && double.IsNaN(value)))
                throw DataException.At(source, lineNumber, $"{Column(index)}: '{text}' is not a finite number");
            return value;
        }

        private ReadOnlySpan<char> Cell(ReadOnlySpan<char> line, int index)
        {
            var field = _fields[index];
            return line.Slice(field.Start, field.Length).Trim();
        }

        // The first line of a file read as headerless is where a forgotten header shows up.
        private string HeaderHint(int lineNumber) =>
            !options.HasHeader && _lines.Count == 0 ? $"; line {lineNumber} looks like a header, but the file is read as headerless (header: false)" : "";

        private string Column(int index) => $"column {index + 1} '{_names![index]}'";
    }

    private static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
