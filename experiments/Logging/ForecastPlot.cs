using ScottPlot;

namespace Research.Experiments.Logging;

/// <summary>Actual against predicted values of one series over time, as a PNG.</summary>
public static class ForecastPlot
{
    /// <param name="predicted">As long as actual, or shorter: then it covers the last predicted.Count points (the horizon).</param>
    /// <param name="timestamps">One per actual value; without them the x axis is the index.</param>
    public static void Write(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, IReadOnlyList<DateTime>? timestamps = null,
        string title = "forecast", string valueLabel = "value", int width = 1000, int height = 450)
    {
        if (predicted.Count > actual.Count)
            throw new ArgumentException($"predicted has {predicted.Count} points, more than actual's {actual.Count}", nameof(predicted));
        if (timestamps is not null && timestamps.Count != actual.Count)
            throw new ArgumentException($"timestamps has {timestamps.Count} entries, actual has {actual.Count}", nameof(timestamps));

        var xs = timestamps is null
            ? [.. Enumerable.Range(0, actual.Count).Select(i => (double)i)]
            : timestamps.Select(t => t.ToOADate()).ToArray();
        var start = actual.Count - predicted.Count;

        var plot = new Plot();
        var truth = plot.Add.Scatter(xs, actual.ToArray());
        truth.LegendText = "actual";
        truth.LineWidth = 2;
        truth.MarkerSize = 0;
        var forecast = plot.Add.Scatter(xs[start..], predicted.ToArray());
        forecast.LegendText = "predicted";
        forecast.LineWidth = 2;
        forecast.MarkerSize = 0;
        forecast.LinePattern = LinePattern.Dashed;
        if (start > 0)
            plot.Add.VerticalLine(xs[start], 1, Colors.Gray, LinePattern.Dotted);

        // ISO dates: the invariant culture's default (01/04/2026) reads differently on each side of the Atlantic.
        if (timestamps is not null && plot.Axes.DateTimeTicksBottom().TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
            ticks.LabelFormatter = t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd\nHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        plot.Title(title);
        plot.XLabel(timestamps is null ? "index" : "time");
        plot.YLabel(valueLabel);
        // Outside the data area: a series fills its whole width, so any corner would hide part of it.
        plot.ShowLegend(Edge.Right);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
