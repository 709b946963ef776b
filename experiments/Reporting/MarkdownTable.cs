using System.Text;

namespace Research.Experiments.Reporting;

/// <summary>A table printed as aligned Markdown, so what the console shows can be pasted into docs unchanged.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public IReadOnlyList<string> Headers => headers;

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"row has {cells.Length} cells, table has {headers.Length} columns");
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, c) => _rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(IEnumerable<string> cells) => sb.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        Line(headers.Select((h, c) => h.PadRight(widths[c])));
        Line(widths.Select(w => new string('-', w)));
        foreach (var row in _rows)
            Line(row.Select((cell, c) => cell.PadRight(widths[c])));
        return sb.ToString();
    }
}
