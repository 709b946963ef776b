using System.Globalization;
using System.Text;
using Research.Experiments.Reporting;
using Research.Models.Recurrent;

namespace Research.Experiments.Logging;

/// <summary>Gate saturation as a Markdown summary (one row per layer and gate) and a per-unit CSV.</summary>
public static class GateSaturationTable
{
    public static string Markdown(IReadOnlyList<GateSaturation> saturation, int tokens)
    {
        var table = new MarkdownTable("layer", "gate", "units", "mean left-saturated", "mean right-saturated", "units mostly left", "units mostly right");
        foreach (var s in saturation)
            table.Add(s.Layer, s.Gate, s.Left.Length.ToString(CultureInfo.InvariantCulture), Fraction(s.MeanLeft), Fraction(s.MeanRight),
                s.UnitsMostlyLeft.ToString(CultureInfo.InvariantCulture), s.UnitsMostlyRight.ToString(CultureInfo.InvariantCulture));
        return $"Gate saturation over {tokens} tokens: fraction of steps a unit's gate is < {GateSaturation.LeftThreshold} (left) or > {GateSaturation.RightThreshold} (right); \"mostly\": more than half of the steps.\n\n{table}";
    }

    /// <summary>layer,gate,unit,left,right: one row per unit, for the plot's points.</summary>
    public static string PerUnitCsv(IReadOnlyList<GateSaturation> saturation)
    {
        var csv = new StringBuilder("layer,gate,unit,left,right\n");
        foreach (var s in saturation)
            for (var u = 0; u < s.Left.Length; u++)
                csv.Append(CultureInfo.InvariantCulture, $"{s.Layer},{s.Gate},{u},{s.Left[u]:R},{s.Right[u]:R}\n");
        return csv.ToString();
    }

    private static string Fraction(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
