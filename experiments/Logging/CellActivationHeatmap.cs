using ScottPlot;
using static TorchSharp.torch;

namespace Research.Experiments.Logging;

/// <summary>Cell activations c of a range of units over the tokens of a text: one column per token, one row per unit.</summary>
public static class CellActivationHeatmap
{
    /// <param name="cells">[T, units] cell states of one sequence.</param>
    /// <param name="tokens">The T tokens, for the x-axis labels (shown when there are at most 80).</param>
    public static void Write(Tensor cells, IReadOnlyList<string> tokens, int firstUnit, int layer, string path)
    {
        var (steps, units) = ((int)cells.shape[0], (int)cells.shape[1]);
        var values = cells.detach().cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var grid = new double[units, steps];
        for (var t = 0; t < steps; t++)
            for (var u = 0; u < units; u++)
                grid[u, t] = values[(t * units) + u];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance(); // diverging: c is signed
        var extent = Math.Max(1e-9, values.Max(Math.Abs));
        heatmap.ManualRange = new ScottPlot.Range(-extent, extent); // 0 in the colour map's middle
        plot.Add.ColorBar(heatmap);
        if (steps <= 80)
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, steps).Select(t => (double)t).ToArray(), tokens.Select(Shown).ToArray());
        // Row 0 is drawn at the top: label rows top-down with their unit numbers.
        var rowTicks = Enumerable.Range(0, units).Where(u => units <= 32 || u % 4 == 0).ToArray();
        plot.Axes.Left.SetTicks(rowTicks.Select(u => (double)(units - 1 - u)).ToArray(), rowTicks.Select(u => (firstUnit + u).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title($"cell activations c, layer {layer}");
        plot.XLabel("token");
        plot.YLabel("unit");
        plot.SavePng(path, Math.Max(600, (steps * 18) + 150), Math.Max(300, (units * 14) + 120));
    }

    // Whitespace characters would be invisible tick labels.
    private static string Shown(string token) => token switch
    {
        " " => "␣",
        "\n" => "⏎",
        _ => token,
    };
}
