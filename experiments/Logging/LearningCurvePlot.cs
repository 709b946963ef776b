using System.Text;
using ScottPlot;

namespace Research.Experiments.Logging;

/// <summary>Learning curves as PNGs: one file per metric name, one line per split (train, valid, test).</summary>
public static class LearningCurvePlot
{
    public static IReadOnlyList<string> WriteFromCsv(string metricsCsv, string outputDir, CurveAxis x = CurveAxis.Epoch, int width = 800, int height = 500) =>
        Write(MetricsCsvReader.Read(metricsCsv), outputDir, x, width, height);

    /// <summary>Writes outputDir/{metric}.png for every metric name and returns the paths, in name order.</summary>
    public static IReadOnlyList<string> Write(IEnumerable<MetricRecord> records, string outputDir, CurveAxis x = CurveAxis.Epoch, int width = 800, int height = 500)
    {
        Directory.CreateDirectory(outputDir);
        var paths = new List<string>();
        foreach (var metric in records.GroupBy(r => r.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var plot = new Plot();
            foreach (var split in metric.GroupBy(r => r.Split).OrderBy(g => SplitOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                var points = x == CurveAxis.Epoch
                    ? split.GroupBy(r => r.Epoch).Select(g => (X: (double)g.Key, Y: g.Last().Value))
                    : split.Select(r => (X: (double)r.Step, Y: r.Value));
                // A diverged run logs inf/nan; leaving them out keeps the axes on the finite part of the curve.
                var ordered = points.Where(p => double.IsFinite(p.Y)).OrderBy(p => p.X).ToArray();
                var line = plot.Add.Scatter(ordered.Select(p => p.X).ToArray(), ordered.Select(p => p.Y).ToArray());
                line.LegendText = split.Key;
                line.LineWidth = 2;
                line.MarkerSize = x == CurveAxis.Epoch ? 5 : 0;
            }

            plot.Title(metric.Key);
            plot.XLabel(x == CurveAxis.Epoch ? "epoch" : "step");
            // Epochs and steps are counts: no 2.5 between ticks 2 and 3.
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.YLabel(metric.Key);
            plot.ShowLegend(Alignment.UpperRight);
            var path = Path.Combine(outputDir, FileNameOf(metric.Key) + ".png");
            plot.SavePng(path, width, height);
            paths.Add(path);
        }

        return paths;
    }

    // Legend and colour order follow the order of a run, whatever order the records came in.
    private static int SplitOrder(string split) => split switch
    {
        "train" => 0,
        "valid" or "validation" or "val" => 1,
        "test" => 2,
        _ => 3,
    };

    // Metric names such as tokens/s become tokens_s: no folders, nothing a shell would need quoted.
    internal static string FileNameOf(string metric)
    {
        var name = new StringBuilder(metric.Length);
        foreach (var c in metric)
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        return name.Length == 0 ? "_" : name.ToString();
    }
}
