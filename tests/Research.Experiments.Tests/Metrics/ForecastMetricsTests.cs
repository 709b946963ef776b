using Research.Experiments.Metrics;

namespace Research.Experiments.Tests.Metrics;

/// <summary>Every forecast metric against values worked out by hand (in the comments), zero cases included.</summary>
public sealed class ForecastMetricsTests
{
    // y = [1, −2, 0, 4], ŷ = [2, −2, 1, 2]: errors |y − ŷ| = [1, 0, 1, 2].
    private static readonly float[] Actual = [1, -2, 0, 4];
    private static readonly float[] Forecast = [2, -2, 1, 2];

    [Fact]
    public void PointErrorsMatchTheirDefinitions()
    {
        var m = new ForecastMetrics();
        m.Add(Actual, Forecast);
        var d = m.ToDictionary();
        Assert.Equal(1.5, d["mse"], 15);            // (1 + 0 + 1 + 4) / 4
        Assert.Equal(1.0, d["mae"], 15);            // (1 + 0 + 1 + 2) / 4
        Assert.Equal(Math.Sqrt(1.5), d["rmse"], 15);
        Assert.Equal(50.0, d["mape"], 12);          // 100 · (1/1 + 0/2 + 2/4) / 3: y = 0 is left out
        Assert.Equal(200.0 * 5 / 12, d["smape"], 12); // 200 · (1/3 + 0/4 + 1/1 + 2/6) / 4
        Assert.False(d.ContainsKey("mase"));        // no naive scale given
    }

    [Fact]
    public void AddingInChunksEqualsAddingAtOnce()
    {
        var chunked = new ForecastMetrics();
        chunked.Add(Actual.AsSpan(0, 1), Forecast.AsSpan(0, 1));
        chunked.Add(Actual.AsSpan(1), Forecast.AsSpan(1));
        var whole = new ForecastMetrics();
        whole.Add(Actual, Forecast);
        Assert.Equal(whole.ToDictionary(), chunked.ToDictionary());
    }

    [Fact]
    public void SmapeLeavesOutOnlyElementsWhereBothAreZero()
    {
        var m = new ForecastMetrics();
        m.Add([0, 0, 2, 3], [0, 1, 2, 0]);
        var d = m.ToDictionary();
        // (0, 0) has no defined ratio and is left out; one zero on either side is the maximum ratio 1 (200 %):
        // 200 · (|0−1|/1 + 0/4 + |3−0|/3) / 3.
        Assert.Equal(400.0 / 3, d["smape"], 12);
        Assert.Equal(50.0, d["mape"], 12);          // only y = 2 and y = 3 count: 100 · (0/2 + 3/3) / 2
        Assert.Equal(2.5, d["mse"], 15);            // but every element counts for MSE: (0 + 1 + 0 + 9) / 4
    }

    [Fact]
    public void PercentageErrorsOfAllZeroSeriesAreUndefinedNotZero()
    {
        var m = new ForecastMetrics();
        m.Add([0, 0], [0, 0]);
        var d = m.ToDictionary("_original");
        Assert.True(double.IsNaN(d["mape_original"]));
        Assert.True(double.IsNaN(d["smape_original"]));
        Assert.Equal(0.0, d["mse_original"]);
    }

    [Fact]
    public void MaseScalesByTheNaiveForecastsInSampleErrorPerColumn()
    {
        // The naive one-step forecast (m = 1) on the training rows, per column. Two columns, rows (1, 10), (3, 14),
        // (6, 12): column 0 steps 2 and 3, column 1 steps 4 and 2 → mean 11 / 4.
        var scale = ForecastMetrics.NaiveScale([1, 10, 3, 14, 6, 12], columns: 2);
        Assert.Equal(2.75, scale, 15);
        var m = new ForecastMetrics();
        m.Add(Actual, Forecast);
        Assert.Equal(1.0 / 2.75, m.ToDictionary(naiveScale: scale)["mase"], 15);
        Assert.True(double.IsNaN(ForecastMetrics.NaiveScale([1, 2], columns: 2))); // one row: no step to measure
    }

    [Fact]
    public void MismatchedLengthsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ForecastMetrics().Add([1, 2], [1]));
        Assert.Equal("2 actual values but 1 forecasts", e.Message);
    }
}
