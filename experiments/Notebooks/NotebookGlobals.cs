namespace Research.Experiments.Notebooks;

/// <summary>
/// What every cell can call besides its own code, named as in .NET Interactive's C# kernel so that the notebooks
/// run unchanged there: display(value) and HTML(text).
/// </summary>
public sealed class NotebookGlobals
{
    internal CellOutputCapture? Capture { get; set; }

    /// <summary>Shows a value under the cell: a ScottPlot Plot or PNG bytes as an image, HTML as HTML, else text.</summary>
    public void display(object? value)
    {
        var capture = Capture ?? throw new InvalidOperationException("display(...) called outside a running cell");
        capture.Display(DisplayValue.Format(value));
    }

    public HtmlContent HTML(string html) => new(html);
}
