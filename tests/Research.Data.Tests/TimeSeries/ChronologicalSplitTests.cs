using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class ChronologicalSplitTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(48)]
    [InlineData(168)]
    [InlineData(336)]
    [InlineData(720)]
    public void Etth1_informer_split_for_lookback_96(int horizon)
    {
        var split = ChronologicalSplit.InformerEtt(EttData.Etth1, EttGranularity.Hourly, lookback: 96);

        // data_loader.py Dataset_ETT_hour: border1s = [0, 8640 - 96, 11520 - 96], border2s = [8640, 11520, 14400].
        Assert.Equal([0, 8640 - 96, 11520 - 96], new[] { split.Train.WindowStart, split.Validation.WindowStart, split.Test.WindowStart });
        Assert.Equal([8640, 11520, 14400], new[] { split.Train.End, split.Validation.End, split.Test.End });
        Assert.Equal([8640, 2880 + 96, 2880 + 96], new[] { split.Train.RowsWithContext, split.Validation.RowsWithContext, split.Test.RowsWithContext });

        // __len__ = len(data_x) - seq_len - pred_len + 1
        Assert.Equal(8640 - 96 - horizon + 1, split.Train.WindowCount(96, horizon));
        Assert.Equal(2880 + 96 - 96 - horizon + 1, split.Validation.WindowCount(96, horizon));
        Assert.Equal(2880 + 96 - 96 - horizon + 1, split.Test.WindowCount(96, horizon));
    }

    [Fact]
    public void Etth1_window_counts_for_horizon_24_are_8521_2857_2857()
    {
        var data = ForecastDataset.Prepare(EttData.Etth1, ChronologicalSplit.InformerEtt(EttData.Etth1, EttGranularity.Hourly, 96),
            ForecastColumns.Multivariate(EttData.Etth1));
        Assert.Equal(8521, data.Windows(SplitPart.Train, 24).Count);
        Assert.Equal(2857, data.Windows(SplitPart.Validation, 24).Count);
        Assert.Equal(2857, data.Windows(SplitPart.Test, 24).Count);

        // The first test window reads rows 11424..11519 and forecasts 11520..11543 (the first test-owned rows).
        var test = data.Windows(SplitPart.Test, 24);
        Assert.Equal(EttData.Etth1.Timestamps[11520], test.ForecastStart(0));
        Assert.Equal(EttData.Etth1.Timestamps[14400 - 24], test.ForecastStart(test.Count - 1));
    }

    [Fact]
    public void Ettm1_informer_split_is_four_times_longer()
    {
        var split = ChronologicalSplit.InformerEtt(EttData.Ettm1, EttGranularity.FifteenMinutes, lookback: 96);
        Assert.Equal([0, 34560 - 96, 46080 - 96], new[] { split.Train.WindowStart, split.Validation.WindowStart, split.Test.WindowStart });
        Assert.Equal([34560, 46080, 57600], new[] { split.Train.End, split.Validation.End, split.Test.End });
        Assert.Equal(34560 - 96 - 24 + 1, split.Train.WindowCount(96, 24));
        Assert.Equal(11520 - 24 + 1, split.Validation.WindowCount(96, 24));
        Assert.Equal(11520 - 24 + 1, split.Test.WindowCount(96, 24));
    }

    [Fact]
    public void Hourly_protocol_on_quarter_hour_data_is_refused()
    {
        var e = Assert.Throws<DataException>(() => ChronologicalSplit.InformerEtt(EttData.Ettm1, EttGranularity.Hourly, 96));
        Assert.EndsWith("ETTm1.csv: the Informer ETT split for Hourly data needs a 1 h step, but the series steps every 15 min", e.Message);
    }

    [Fact]
    public void Fractions_follow_autoformer_rounding()
    {
        var airline = EttData.Airline();
        var split = ChronologicalSplit.ByFractions(airline, 0.7, 0.1, 0.2, lookback: 12);
        // floor(144 * 0.7) = 100 train, floor(144 * 0.2) = 28 test, the rest (16) validation.
        Assert.Equal(new SplitRange(0, 100, 0), split.Train);
        Assert.Equal(new SplitRange(100, 116, 12), split.Validation);
        Assert.Equal(new SplitRange(116, 144, 12), split.Test);
        Assert.Equal(28 + 12 - 12 - 6 + 1, split.Test.WindowCount(12, 6));
    }

    [Fact]
    public void Counts_that_do_not_fit_are_a_data_error()
    {
        var airline = EttData.Airline();
        var e = Assert.Throws<DataException>(() => ChronologicalSplit.ByCounts(airline, 120, 12, 24, lookback: 12));
        Assert.EndsWith("airline-passengers.csv: the split needs 120 + 12 + 24 = 156 rows, but the series has 144", e.Message);
        Assert.Throws<ArgumentException>(() => ChronologicalSplit.ByCounts(airline, 10, 12, 12, lookback: 24));
    }

    [Fact]
    public void Informer_split_refuses_a_series_with_gaps()
    {
        var f = EttData.Etth1;
        var times = f.Timestamps.ToArray();
        times = [.. times.Take(100), .. times.Skip(101)];
        var values = f.Values.ToArray();
        values = [.. values.Take(100 * 7), .. values.Skip(101 * 7)];
        var gappy = new TimeSeriesFrame("gappy.csv", times, f.ColumnNames, values);
        var e = Assert.Throws<DataException>(() => ChronologicalSplit.InformerEtt(gappy, EttGranularity.Hourly, 96));
        Assert.StartsWith("gappy.csv: the Informer ETT split needs a gap-free series, found every 1 h; 1 gap(s) with 1 missing step(s)", e.Message);
    }
}
