using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Research.Experiments.Reporting;
using ScottPlot;

namespace Research.Experiments.Notebooks;

/// <summary>
/// How the .NET Interactive kernel shows the project's objects: a ScottPlot <see cref="Plot"/> as a PNG picture, a
/// <see cref="MarkdownTable"/> as an HTML table (with its Markdown as the plain-text fallback), <see cref="Markdown"/>
/// as rendered Markdown. `display(x)` or a cell's last expression picks them up once <see cref="Register"/> has run.
/// </summary>
public static class NotebookFormatters
{
    public const string PngMimeType = "image/png";
    public const string HtmlMimeType = "text/html";
    public const string MarkdownMimeType = "text/markdown";
    public const string PlainTextMimeType = "text/plain";

    /// <summary>Pixel size of displayed plots: small enough that a committed notebook stays light.</summary>
    public static int PlotWidth { get; set; } = 600;

    public static int PlotHeight { get; set; } = 360;

    /// <summary>Registers the formatters. Idempotent in effect: registering again puts the same formatters on top.</summary>
    public static void Register()
    {
        Formatter.Register<Plot>((plot, writer) => writer.Write(Convert.ToBase64String(Png(plot))), PngMimeType);
        Formatter.Register<Plot>((plot, writer) => writer.Write($"ScottPlot.Plot ({PlotWidth}x{PlotHeight} PNG)"), PlainTextMimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Plot), PngMimeType, PlainTextMimeType);

        Formatter.Register<MarkdownTable>((table, writer) => writer.Write(Html(table)), HtmlMimeType);
        Formatter.Register<MarkdownTable>((table, writer) => writer.Write(table.ToString()), PlainTextMimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(MarkdownTable), HtmlMimeType, PlainTextMimeType);

        Formatter.Register<Markdown>((markdown, writer) => writer.Write(markdown.Text), MarkdownMimeType);
        Formatter.Register<Markdown>((markdown, writer) => writer.Write(markdown.Text), PlainTextMimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Markdown), MarkdownMimeType, PlainTextMimeType);
    }

    /// <summary>The plot as PNG bytes at <see cref="PlotWidth"/> x <see cref="PlotHeight"/>.</summary>
    public static byte[] Png(Plot plot) => plot.GetImageBytes(PlotWidth, PlotHeight, ImageFormat.Png);

    /// <summary>The table as an HTML table, every cell encoded.</summary>
    public static string Html(MarkdownTable table)
    {
        var html = new System.Text.StringBuilder("<table>\n<thead><tr>");
        foreach (var header in table.Headers)
            html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }
}

/// <summary>Text the kernel renders as Markdown (`display(new Markdown(report))`), shown as is where Markdown is not rendered.</summary>
public sealed record Markdown(string Text)
{
    public override string ToString() => Text;
}
