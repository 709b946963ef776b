using Research.Models.Recurrent;
using ScottPlot;

namespace Research.Experiments.Logging;

/// <summary>
/// Karpathy et al. 2015, Fig. 3: one point per unit at (fraction of steps left-saturated, fraction right-saturated),
/// one colour per gate, one marker shape per layer.
/// </summary>
public static class GateSaturationPlot
{
    private static readonly Dictionary<string, Color> GateColours = new()
    {
        ["input"] = Colors.RoyalBlue,
        ["forget"] = Colors.OrangeRed,
        ["output"] = Colors.SeaGreen,
    };

    private static readonly MarkerShape[] LayerShapes =
        [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle];

    public static void Write(IReadOnlyList<GateSaturation> saturation, string path, int width = 700, int height = 650)
    {
        var plot = new Plot();
        var layers = saturation.Select(s => s.Layer).Distinct().ToList();
        foreach (var gate in saturation)
        {
            var points = plot.Add.ScatterPoints(gate.Left, gate.Right);
            points.Color = GateColours.GetValueOrDefault(gate.Gate, Colors.Gray).WithAlpha(0.7);
            points.MarkerShape = LayerShapes[layers.IndexOf(gate.Layer) % LayerShapes.Length];
            points.MarkerSize = 7;
            points.LegendText = $"{gate.Layer} {gate.Gate}";
        }
        // The diagonal x + y = 1: points on it are saturated at every step.
        var bound = plot.Add.Line(0, 1, 1, 0);
        bound.Color = Colors.Gray;
        bound.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Title("gate saturation per unit");
        plot.XLabel($"fraction left-saturated (< {GateSaturation.LeftThreshold})");
        plot.YLabel($"fraction right-saturated (> {GateSaturation.RightThreshold})");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }
}
