using System.Buffers.Binary;
using Microsoft.DotNet.Interactive.Formatting;
using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using ScottPlot;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>What the kernel shows for the project's objects once the formatters are registered (as Notebook.Start does).</summary>
public sealed class NotebookFormattersTests
{
    public NotebookFormattersTests() => NotebookFormatters.Register();

    [Fact]
    public void A_plot_displays_as_a_png_picture_of_the_set_size()
    {
        var plot = new Plot();
        plot.Add.Scatter(new[] { 1.0, 2.0, 3.0 }, new[] { 1.0, 4.0, 9.0 });

        // What display(plot) and a cell ending in `plot` send: one value per preferred MIME type.
        var values = FormattedValue.CreateManyFromObject(plot);

        Assert.Equal([NotebookFormatters.PngMimeType, NotebookFormatters.PlainTextMimeType], values.Select(v => v.MimeType));
        var png = Convert.FromBase64String(values[0].Value);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal(NotebookFormatters.PlotWidth, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(NotebookFormatters.PlotHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.InRange(png.Length, 1, 120_000);
        Assert.Equal("ScottPlot.Plot (600x360 PNG)", values[1].Value);
    }

    [Fact]
    public void A_table_displays_as_html_with_its_markdown_as_plain_text()
    {
        var table = new MarkdownTable("quantity", "max abs").Add("output", "1.0E-16").Add("<h_n>", "0 & 1");

        var values = FormattedValue.CreateManyFromObject(table);

        Assert.Equal([NotebookFormatters.HtmlMimeType, NotebookFormatters.PlainTextMimeType], values.Select(v => v.MimeType));
        Assert.Equal(
            "<table>\n<thead><tr><th>quantity</th><th>max abs</th></tr></thead>\n<tbody>\n"
            + "<tr><td>output</td><td>1.0E-16</td></tr>\n<tr><td>&lt;h_n&gt;</td><td>0 &amp; 1</td></tr>\n</tbody>\n</table>",
            values[0].Value);
        Assert.Equal(table.ToString(), values[1].Value);
    }

    [Fact]
    public void Markdown_text_displays_as_markdown()
    {
        var values = FormattedValue.CreateManyFromObject(new Markdown("## results\n| a |\n|---|\n| 1 |\n"));

        Assert.Equal([NotebookFormatters.MarkdownMimeType, NotebookFormatters.PlainTextMimeType], values.Select(v => v.MimeType));
        Assert.All(values, v => Assert.Equal("## results\n| a |\n|---|\n| 1 |\n", v.Value));
    }
}
