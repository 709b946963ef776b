namespace Research.Data.TimeSeries;

/// <summary>One field of a CSV line: where its text is, without surrounding quotes.</summary>
internal readonly record struct CsvField(int Start, int Length, bool HasEscapedQuotes)
{
    public string Text(ReadOnlySpan<char> line)
    {
        var text = line.Slice(Start, Length).ToString();
        return HasEscapedQuotes ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }
}

/// <summary>
/// Splits CSV lines into fields (RFC 4180 quoting, no line breaks inside quotes). Used to check the text before
/// Microsoft.Data.Analysis reads it, because the DataFrame reader silently skips blank lines and turns a short row
/// into nulls, so it cannot say which line is wrong.
/// </summary>
internal static class CsvFields
{
    /// <summary>Fills <paramref name="fields"/>; returns null on success, else what is wrong with the quoting.</summary>
    public static string? Split(ReadOnlySpan<char> line, char separator, List<CsvField> fields)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var start = i + 1;
                var escaped = false;
                var j = start;
                while (true)
                {
                    if (j >= line.Length)
                        return $"field {fields.Count + 1} opens a quote that is never closed";
                    if (line[j] == '"')
                    {
                        if (j + 1 < line.Length && line[j + 1] == '"')
                        {
                            escaped = true;
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                fields.Add(new CsvField(start, j - start, escaped));
                j++;
                if (j == line.Length)
                    return null;
                if (line[j] != separator)
                    return $"field {fields.Count} has text after its closing quote";
                i = j + 1;
            }
            else
            {
                var length = line[i..].IndexOf(separator);
                if (length < 0)
                {
                    fields.Add(new CsvField(i, line.Length - i, false));
                    return null;
                }
                fields.Add(new CsvField(i, length, false));
                i += length + 1;
            }
        }
    }
}
