using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Research.Experiments.Notebooks;

/// <summary>
/// An nbformat 4 notebook (.ipynb) read into JSON nodes: the cells are <see cref="NotebookCell"/>s over the same
/// nodes, so writing it back keeps the notebook and .NET Interactive metadata exactly as they were.
/// </summary>
public sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // Notebooks are read by people in diffs: keep ⊙, σ and quotes as they are, not as \uXXXX.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public JsonObject Json { get; }

    public List<NotebookCell> Cells { get; }

    private NotebookDocument(JsonObject json)
    {
        Json = json;
        Cells = [.. (json["cells"] as JsonArray ?? []).Select(c => new NotebookCell(c as JsonObject
            ?? throw new InvalidDataException("a cell is not a JSON object")))];
    }

    public static NotebookDocument Parse(string text, string sourceName = "<notebook>")
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{sourceName}: not JSON: {e.Message}", e);
        }
        if (node is not JsonObject json || json["cells"] is not JsonArray)
            throw new InvalidDataException($"{sourceName}: not a notebook (no cells array)");
        var format = json["nbformat"]?.GetValue<int>();
        if (format != 4)
            throw new InvalidDataException($"{sourceName}: nbformat {format?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, expected 4");
        return new NotebookDocument(json);
    }

    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>A new C# notebook with the metadata .NET Interactive (Polyglot Notebooks) writes.</summary>
    public static NotebookDocument CreateCSharp(IEnumerable<NotebookCell> cells) => new(new JsonObject
    {
        ["cells"] = new JsonArray([.. cells.Select(c => c.Json)]),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject
            {
                ["display_name"] = ".NET (C#)",
                ["language"] = "C#",
                ["name"] = ".net-csharp",
            },
            ["language_info"] = new JsonObject
            {
                ["file_extension"] = ".cs",
                ["mimetype"] = "text/x-csharp",
                ["name"] = "C#",
                ["pygments_lexer"] = "csharp",
                ["version"] = "13.0",
            },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 4,
    });

    /// <summary>A deep copy, so that an executed copy never changes the notebook it came from.</summary>
    public NotebookDocument Clone() => new((JsonObject)Json.DeepClone());

    /// <summary>Puts a cell at <paramref name="index"/> in both the cell list and the JSON.</summary>
    public void InsertCell(int index, NotebookCell cell)
    {
        Cells.Insert(index, cell);
        ((JsonArray)Json["cells"]!).Insert(index, cell.Json);
    }

    public void RemoveCell(int index)
    {
        Cells.RemoveAt(index);
        ((JsonArray)Json["cells"]!).RemoveAt(index);
    }

    public string ToJson() => Json.ToJsonString(WriteOptions) + "\n";

    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToJson());
    }
}
