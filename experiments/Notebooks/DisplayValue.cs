using System.Collections;
using System.Globalization;

namespace Research.Experiments.Notebooks;

/// <summary>HTML to show as HTML; what .NET Interactive's HTML("...") returns.</summary>
public sealed record HtmlContent(string Html)
{
    public override string ToString() => Html;
}

/// <summary>PNG bytes to show as an image.</summary>
public sealed record PngImage(byte[] Bytes);

/// <summary>
/// Turns a displayed value into MIME-typed representations, as .NET Interactive's formatters do for the types these
/// notebooks show: plots and PNG bytes as image/png, HTML as text/html, everything else as text/plain.
/// </summary>
public static class DisplayValue
{
    public const int PlotWidth = 800;

    public const int PlotHeight = 450;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static IReadOnlyDictionary<string, string> Format(object? value) => value switch
    {
        ScottPlot.Plot plot => Png(plot.GetImageBytes(PlotWidth, PlotHeight, ScottPlot.ImageFormat.Png)),
        PngImage image => Png(image.Bytes),
        byte[] bytes when bytes.AsSpan().StartsWith(PngSignature) => Png(bytes),
        HtmlContent html => new Dictionary<string, string> { ["text/html"] = html.Html, ["text/plain"] = html.Html },
        _ => new Dictionary<string, string> { ["text/plain"] = Text(value) },
    };

    /// <summary>Plain text of a value: strings as they are, sequences one item a line (not "System.Collections.Generic.List`1").</summary>
    public static string Text(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join('\n', items.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? "",
    };

    private static Dictionary<string, string> Png(byte[] bytes) => new()
    {
        ["image/png"] = Convert.ToBase64String(bytes),
        ["text/plain"] = $"<PNG image, {bytes.Length} bytes>",
    };
}
