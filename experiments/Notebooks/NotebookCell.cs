using System.Text.Json.Nodes;

namespace Research.Experiments.Notebooks;

/// <summary>
/// One cell of an nbformat 4 notebook, kept as its JSON object so that every field the runner does not know about
/// (ids, .NET Interactive metadata, attachments) is written back unchanged.
/// </summary>
public sealed class NotebookCell(JsonObject json)
{
    public const string ParametersTag = "parameters";

    public const string InjectedParametersTag = "injected-parameters";

    public JsonObject Json { get; } = json;

    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";

    public bool IsCode => CellType == "code";

    /// <summary>The source as one string; nbformat allows a string or a list of lines.</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue text => text.GetValue<string>(),
            _ => "",
        };
        set => Json["source"] = SourceLines(value);
    }

    public IReadOnlyList<string> Tags => Json["metadata"]?["tags"] is JsonArray tags
        ? [.. tags.Select(t => t?.GetValue<string>() ?? "")]
        : [];

    /// <summary>
    /// The cell's kernel as .NET Interactive records it (polyglot_notebook.kernelName, older dotnet_interactive.language);
    /// "csharp" when neither is there, the notebook's default language.
    /// </summary>
    public string Language =>
        Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>A C# code cell with the .NET Interactive metadata VS Code writes.</summary>
    public static NotebookCell Code(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0)
            metadata["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]);
        return new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = SourceLines(source),
        });
    }

    public static NotebookCell Markdown(string source) => new(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = SourceLines(source),
    });

    /// <summary>Sets what an execution produced (code cells only, as nbformat requires).</summary>
    public void SetOutputs(int? executionCount, IEnumerable<DisplayOutput> outputs)
    {
        Json["execution_count"] = executionCount;
        Json["outputs"] = new JsonArray([.. outputs.Select(o => o.ToJson())]);
    }

    public void ClearOutputs() => SetOutputs(null, []);

    /// <summary>nbformat's multiline string: lines that keep their "\n", the last one without.</summary>
    public static JsonArray SourceLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var k = 0; k < text.Length; k++)
        {
            if (text[k] != '\n')
                continue;
            lines.Add(JsonValue.Create(text[start..(k + 1)]));
            start = k + 1;
        }
        if (start < text.Length)
            lines.Add(JsonValue.Create(text[start..]));
        return lines;
    }
}
