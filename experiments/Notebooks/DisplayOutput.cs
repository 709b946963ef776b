using System.Text.Json.Nodes;

namespace Research.Experiments.Notebooks;

/// <summary>One nbformat 4 output of a code cell: printed text, a displayed value (by MIME type), or an error.</summary>
public abstract record DisplayOutput
{
    public abstract JsonObject ToJson();

    /// <summary>MIME type → value, as nbformat stores it (text as a list of lines, images as base64).</summary>
    protected static JsonObject MimeBundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, value) in data)
            bundle[mime] = mime.StartsWith("image/", StringComparison.Ordinal) ? value : NotebookCell.SourceLines(value);
        return bundle;
    }
}

/// <summary>Text written to stdout or stderr while the cell ran.</summary>
public sealed record StreamOutput(string Name, string Text) : DisplayOutput
{
    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["output_type"] = "stream",
        ["text"] = NotebookCell.SourceLines(Text),
    };
}

/// <summary>A value passed to display(...): the same value in one or more MIME types.</summary>
public sealed record DisplayDataOutput(IReadOnlyDictionary<string, string> Data) : DisplayOutput
{
    public override JsonObject ToJson() => new()
    {
        ["data"] = MimeBundle(Data),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };
}

/// <summary>The value of the cell's last expression, shown as Jupyter shows an Out[n].</summary>
public sealed record ExecuteResultOutput(int ExecutionCount, IReadOnlyDictionary<string, string> Data) : DisplayOutput
{
    public override JsonObject ToJson() => new()
    {
        ["data"] = MimeBundle(Data),
        ["execution_count"] = ExecutionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    };
}

/// <summary>Why the cell failed: a compilation error or the exception it threw.</summary>
public sealed record ErrorOutput(string ErrorName, string ErrorValue, IReadOnlyList<string> Traceback) : DisplayOutput
{
    public override JsonObject ToJson() => new()
    {
        ["ename"] = ErrorName,
        ["evalue"] = ErrorValue,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray([.. Traceback.Select(t => JsonValue.Create(t))]),
    };
}
