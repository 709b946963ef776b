using System.Text.Json.Nodes;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>
/// The rules of the nbformat 4.4 JSON schema (jupyter/nbformat, nbformat.v4.4.schema.json) that a notebook written
/// by hand or by the runner can break: required and allowed keys of the notebook, its cells and their outputs, and
/// the types of their values. Returns every violation, empty when the notebook is valid.
/// </summary>
public static class NbformatShape
{
    private static readonly Dictionary<string, (string[] Required, string[] Allowed)> Cells = new()
    {
        ["code"] = (["cell_type", "metadata", "source", "outputs", "execution_count"], ["cell_type", "metadata", "source", "outputs", "execution_count"]),
        ["markdown"] = (["cell_type", "metadata", "source"], ["cell_type", "metadata", "source", "attachments"]),
        ["raw"] = (["cell_type", "metadata", "source"], ["cell_type", "metadata", "source", "attachments"]),
    };

    private static readonly Dictionary<string, string[]> Outputs = new()
    {
        ["execute_result"] = ["output_type", "data", "metadata", "execution_count"],
        ["display_data"] = ["output_type", "data", "metadata"],
        ["stream"] = ["output_type", "name", "text"],
        ["error"] = ["output_type", "ename", "evalue", "traceback"],
    };

    public static List<string> Violations(string json)
    {
        var problems = new List<string>();
        if (JsonNode.Parse(json) is not JsonObject nb)
            return ["not a JSON object"];
        Keys(nb, ["metadata", "nbformat_minor", "nbformat", "cells"], ["metadata", "nbformat_minor", "nbformat", "cells"], "notebook", problems);
        if (nb["nbformat"]?.GetValue<int>() != 4)
            problems.Add("nbformat must be 4");
        if (nb["nbformat_minor"] is not JsonValue minor || minor.GetValue<int>() < 3)
            problems.Add("nbformat_minor must be an integer >= 3");
        if (nb["metadata"] is not JsonObject)
            problems.Add("metadata must be an object");
        if (nb["metadata"]?["kernelspec"] is JsonObject spec && (spec["name"] is null || spec["display_name"] is null))
            problems.Add("kernelspec needs name and display_name");
        var cells = nb["cells"] as JsonArray ?? [];
        for (var k = 0; k < cells.Count; k++)
            Cell(cells[k] as JsonObject, $"cell {k + 1}", problems);
        return problems;
    }

    private static void Cell(JsonObject? cell, string where, List<string> problems)
    {
        var type = cell?["cell_type"]?.GetValue<string>() ?? "";
        if (cell is null || !Cells.TryGetValue(type, out var keys))
        {
            problems.Add($"{where}: unknown cell_type '{type}'");
            return;
        }
        Keys(cell, keys.Required, keys.Allowed, where, problems);
        if (cell["metadata"] is not JsonObject metadata)
            problems.Add($"{where}: metadata must be an object");
        else if (metadata["tags"] is { } tags && (tags is not JsonArray list || list.Any(t => t is not JsonValue v || v.GetValue<string>().Contains(',', StringComparison.Ordinal))))
            problems.Add($"{where}: tags must be strings without commas");
        MultilineString(cell["source"], $"{where}: source", problems);
        if (type != "code")
            return;
        if (cell["execution_count"] is JsonValue count && count.GetValue<int>() < 0)
            problems.Add($"{where}: execution_count must be null or >= 0");
        if (cell["outputs"] is not JsonArray outputs)
        {
            problems.Add($"{where}: outputs must be an array");
            return;
        }
        foreach (var output in outputs)
            Output(output as JsonObject, where, problems);
    }

    private static void Output(JsonObject? output, string where, List<string> problems)
    {
        var type = output?["output_type"]?.GetValue<string>() ?? "";
        if (output is null || !Outputs.TryGetValue(type, out var keys))
        {
            problems.Add($"{where}: unknown output_type '{type}'");
            return;
        }
        Keys(output, keys, keys, $"{where} {type}", problems);
        if (type == "stream")
            MultilineString(output["text"], $"{where}: stream text", problems);
        if (output["data"] is { } data)
        {
            if (data is not JsonObject bundle)
                problems.Add($"{where}: data must be a MIME bundle");
            else
            {
                foreach (var (mime, value) in bundle)
                {
                    if (!mime.Contains('/', StringComparison.Ordinal))
                        problems.Add($"{where}: '{mime}' is not a MIME type");
                    if (!mime.EndsWith("json", StringComparison.Ordinal))
                        MultilineString(value, $"{where}: {mime}", problems);
                }
            }
        }
        if (output["traceback"] is { } traceback && (traceback is not JsonArray lines || lines.Any(l => l is not JsonValue)))
            problems.Add($"{where}: traceback must be a list of strings");
    }

    private static void MultilineString(JsonNode? node, string where, List<string> problems)
    {
        var ok = node switch
        {
            JsonValue v => v.TryGetValue<string>(out _),
            JsonArray lines => lines.All(l => l is JsonValue v && v.TryGetValue<string>(out _)),
            _ => false,
        };
        if (!ok)
            problems.Add($"{where} must be a string or a list of strings");
    }

    private static void Keys(JsonObject obj, string[] required, string[] allowed, string where, List<string> problems)
    {
        problems.AddRange(required.Where(r => !obj.ContainsKey(r)).Select(r => $"{where}: missing '{r}'"));
        problems.AddRange(obj.Select(p => p.Key).Where(k => !allowed.Contains(k)).Select(k => $"{where}: unexpected '{k}'"));
    }
}
