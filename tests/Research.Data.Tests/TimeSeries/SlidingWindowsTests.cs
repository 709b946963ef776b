using Research.Data.TimeSeries;
using static TorchSharp.torch;

namespace Research.Data.Tests.TimeSeries;

public sealed class SlidingWindowsTests
{
    /// <summary>Columns a = 0..9 and b = 100..109, hourly.</summary>
    private static TimeSeriesFrame ZeroToNine()
    {
        var times = Enumerable.Range(0, 10).Select(i => new DateTime(2020, 1, 1).AddHours(i)).ToArray();
        var values = Enumerable.Range(0, 10).SelectMany(i => new double[] { i, 100 + i }).ToArray();
        return new TimeSeriesFrame("0..9", times, ["a", "b"], values);
    }

    private static float[][] Rows(Tensor t) =>
        [.. Enumerable.Range(0, (int)t.shape[0]).Select(i => t[i].flatten().data<float>().ToArray())];

    [Fact]
    public void Univariate_lookback_3_horizon_2_stride_1()
    {
        var windows = SlidingWindows.Create(ZeroToNine(), ["a"], ["a"], lookback: 3, horizon: 2, stride: 1);
        Assert.Equal(6, windows.Count);
        using var all = windows.All();
        Assert.Equal([6L, 3, 1], all.Inputs.shape);
        Assert.Equal([6L, 2, 1], all.Targets.shape);
        Assert.Equal(ScalarType.Float32, all.Inputs.dtype);
        float[][] inputs = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7]];
        float[][] targets = [[3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9]];
        Assert.Equal(inputs, Rows(all.Inputs));
        Assert.Equal(targets, Rows(all.Targets));
    }

    [Fact]
    public void Univariate_lookback_3_horizon_2_stride_2()
    {
        var windows = SlidingWindows.Create(ZeroToNine(), ["a"], ["a"], lookback: 3, horizon: 2, stride: 2);
        Assert.Equal(3, windows.Count);
        using var all = windows.All();
        float[][] inputs = [[0, 1, 2], [2, 3, 4], [4, 5, 6]];
        float[][] targets = [[3, 4], [5, 6], [7, 8]];
        Assert.Equal(inputs, Rows(all.Inputs));
        Assert.Equal(targets, Rows(all.Targets));
        Assert.Equal(new DateTime(2020, 1, 1, 7, 0, 0), windows.ForecastStart(2));
    }

    [Fact]
    public void Multivariate_with_covariate_interleaves_features_per_step()
    {
        var windows = SlidingWindows.Create(ZeroToNine(), ["a", "b"], ["a"], lookback: 3, horizon: 2, stride: 1);
        using var all = windows.All();
        Assert.Equal([6L, 3, 2], all.Inputs.shape);
        Assert.Equal([6L, 2, 1], all.Targets.shape);
        Assert.Equal([[0f, 100, 1, 101, 2, 102], [5f, 105, 6, 106, 7, 107]], Rows(all.Inputs).Where((_, i) => i is 0 or 5));

        var both = SlidingWindows.Create(ZeroToNine(), ["a", "b"], ["b", "a"], lookback: 3, horizon: 2);
        using var first = both.Range(0, 1);
        Assert.Equal([103f, 3, 104, 4], first.Targets.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Lazy_batches_cover_every_window_once()
    {
        var windows = SlidingWindows.Create(ZeroToNine(), ["a"], ["a"], lookback: 3, horizon: 2);
        using var all = windows.All();
        var inOrder = windows.Batches(4).ToList();
        Assert.Equal([4, 2], inOrder.Select(b => (int)b.Inputs.shape[0]));
        using (var joined = cat(inOrder.Select(b => b.Inputs).ToList(), 0))
            Assert.True(joined.equal(all.Inputs).all().item<bool>());
        inOrder.ForEach(b => b.Dispose());

        var shuffled = windows.Batches(4, new Random(7)).ToList();
        Assert.Equal(Enumerable.Range(0, 6), shuffled.SelectMany(b => b.Windows).Order());
        foreach (var batch in shuffled)
        {
            for (var i = 0; i < batch.Windows.Count; i++)
                Assert.Equal(batch.Windows[i], batch.Inputs[i, 0, 0].item<float>());
            batch.Dispose();
        }
        Assert.Single(windows.Batches(4, dropLast: true));
    }

    [Fact]
    public void Too_short_series_has_no_windows()
    {
        Assert.Equal(0, SlidingWindows.CountFor(4, 3, 2));
        Assert.Equal(1, SlidingWindows.CountFor(5, 3, 2));
        Assert.Equal(0, SlidingWindows.Create(ZeroToNine(), ["a"], ["a"], lookback: 8, horizon: 3).Count);
    }

    [Fact]
    public void Validation_windows_read_training_rows_as_lookback_but_never_forecast_them()
    {
        var frame = ZeroToNine();
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.ByCounts(frame, 6, 2, 2, lookback: 3), ForecastColumns.Univariate("a"), ScalerKind.None);
        var validation = data.Windows(SplitPart.Validation, horizon: 1);
        using var all = validation.All();
        Assert.Equal([[3f, 4, 5], [4f, 5, 6]], Rows(all.Inputs));
        Assert.Equal([[6f], [7f]], Rows(all.Targets));
    }

    [Fact]
    public void Ett_multivariate_windows_with_calendar_covariates()
    {
        var frame = EttData.Etth1;
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.InformerEtt(frame, EttGranularity.Hourly, 96),
            ForecastColumns.MultivariateToOne(frame, "OT"), calendar: CalendarFields.Month | CalendarFields.DayOfWeek | CalendarFields.Hour);
        Assert.Equal(["OT", "HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "month_sin", "month_cos", "dayofweek_sin", "dayofweek_cos", "hour_sin", "hour_cos"], data.InputColumns);
        var train = data.Windows(SplitPart.Train, 24);
        using var batch = train.Batches(32).First();
        Assert.Equal([32L, 96, 13], batch.Inputs.shape);
        Assert.Equal([32L, 24, 1], batch.Targets.shape);
        // Row 1 of window 0 is 2016-07-01 01:00: hour 1 of 24.
        Assert.Equal(Math.Sin(2 * Math.PI / 24), batch.Inputs[0, 1, 11].item<float>(), 6);
    }
}
