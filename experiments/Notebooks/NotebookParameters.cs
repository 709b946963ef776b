using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace Research.Experiments.Notebooks;

/// <summary>
/// Papermill's parameters for C#: `--param key=value` become assignments in a cell tagged "injected-parameters",
/// placed right after the cell tagged "parameters" (whose assignments are the defaults), or first when there is none.
/// Values are typed as written: true/false, integers, decimals, else strings ("..." forces a string).
/// </summary>
public static partial class NotebookParameters
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> pairs)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq > 0 ? pair[..eq].Trim() : "";
            if (!Identifier().IsMatch(key))
                throw new ArgumentException($"parameter '{pair}': expected name=value with a C# identifier as the name");
            if (parsed.Any(p => p.Key == key))
                throw new ArgumentException($"parameter {key} is given twice");
            parsed.Add(new(key, pair[(eq + 1)..]));
        }
        return parsed;
    }

    /// <summary>Adds the injected cell to <paramref name="notebook"/> and returns where it went, or -1 without parameters.</summary>
    public static int Inject(NotebookDocument notebook, IReadOnlyList<KeyValuePair<string, string>> parameters, ICollection<string> warnings)
    {
        if (parameters.Count == 0)
            return -1;
        // A copy executed before carries its injected cell: the new values replace it, as papermill does.
        for (var k = notebook.Cells.Count - 1; k >= 0; k--)
        {
            if (notebook.Cells[k].Tags.Contains(NotebookCell.InjectedParametersTag))
                notebook.RemoveCell(k);
        }
        var declared = notebook.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(NotebookCell.ParametersTag));
        if (declared < 0)
            warnings.Add("no cell tagged 'parameters': the injected parameters go first");
        var defaults = declared >= 0 ? notebook.Cells[declared].Source : "";
        var source = new StringBuilder("// Injected parameters\n");
        foreach (var (name, value) in parameters)
        {
            var isDeclared = Regex.IsMatch(defaults, $@"\b{name}\s*=(?!=)");
            if (declared >= 0 && !isDeclared)
                warnings.Add($"parameter {name} is not assigned in the parameters cell; declared as a new variable");
            source.Append(isDeclared ? "" : "var ").Append(name).Append(" = ").Append(Literal(value)).Append(";\n");
        }
        var at = declared + 1;
        notebook.InsertCell(at, NotebookCell.Code(source.ToString().TrimEnd('\n'), NotebookCell.InjectedParametersTag));
        return at;
    }

    /// <summary>The C# literal for a value as written on the command line.</summary>
    public static string Literal(string value)
    {
        if (value is "true" or "false")
            return value;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return value;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return d.ToString("R", CultureInfo.InvariantCulture) + (value.Contains('.', StringComparison.Ordinal) || value.Contains('e', StringComparison.OrdinalIgnoreCase) ? "" : ".0");
        var text = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        return SymbolDisplay.FormatLiteral(text, quote: true);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
