using System.Text.Json.Nodes;
using Research.Experiments.Notebooks;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>The committed notebooks, read as JSON.</summary>
public static class NotebookFiles
{
    public static string Folder { get; } = Path.Combine(Notebook.RepositoryRoot, "notebooks");

    public static IEnumerable<string> Paths() => Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal);

    public static TheoryData<string> Names() => [.. Paths().Select(Path.GetFileName).OfType<string>()];

    public static JsonObject Read(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!.AsObject();

    public static IEnumerable<JsonObject> CodeCells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Cast<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code");

    public static string Source(JsonObject cell) => Text(cell["source"]);

    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags ? [.. tags.Select(t => t!.GetValue<string>())] : [];

    public static IEnumerable<JsonObject> Outputs(JsonObject cell) => cell["outputs"]!.AsArray().Cast<JsonObject>();

    /// <summary>An nbformat multiline string: one string, or a list of lines.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };
}
