using Research.Data.TimeSeries;
using static TorchSharp.torch;

namespace Research.Data.Tests.TimeSeries;

public sealed class ScalerTests
{
    /// <summary>12 rows: 6 train, 3 validation, 3 test; validation and test hold huge values.</summary>
    private static TimeSeriesFrame Poisoned()
    {
        var t0 = new DateTime(2020, 1, 1);
        var times = Enumerable.Range(0, 12).Select(i => t0.AddHours(i)).ToArray();
        double[] a = [1, 2, 3, 4, 5, 9, 1e9, 2e9, 3e9, -1e12, 5e12, 7e12];
        double[] b = [10, 10, 12, 12, 14, 14, 1e9, 1e9, 1e9, 1e9, 1e9, 1e9];
        return new TimeSeriesFrame("poisoned", times, ["a", "b"], a.Zip(b, (x, y) => new[] { x, y }).SelectMany(r => r).ToArray());
    }

    [Fact]
    public void Standard_scaler_sees_only_training_rows_and_uses_population_std()
    {
        var frame = Poisoned();
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.ByCounts(frame, 6, 3, 3, lookback: 2), ForecastColumns.Multivariate(frame));
        var scaler = Assert.IsType<StandardScaler>(data.Scaler);

        // Train rows only: a = 1,2,3,4,5,9: mean 4, population variance (9+4+1+0+1+25)/6 = 40/6.
        Assert.Equal(4.0, scaler.Mean[0], 12);
        Assert.Equal(Math.Sqrt(40.0 / 6), scaler.Std[0], 12);
        Assert.Equal(12.0, scaler.Mean[1], 12);
        Assert.Equal(Math.Sqrt(8.0 / 3), scaler.Std[1], 12);

        // The scaled training rows have mean 0 and population std 1.
        var scaledA = data.Frame.Column("a")[..6];
        Assert.Equal(0, scaledA.Average(), 12);
        Assert.Equal(1, Math.Sqrt(scaledA.Select(v => v * v).Average()), 12);
    }

    [Fact]
    public void Min_max_scaler_sees_only_training_rows()
    {
        var frame = Poisoned();
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.ByCounts(frame, 6, 3, 3, lookback: 2), ForecastColumns.Multivariate(frame), ScalerKind.MinMax);
        var scaler = Assert.IsType<MinMaxScaler>(data.Scaler);
        Assert.Equal([1.0, 10.0], scaler.Min);
        Assert.Equal([9.0, 14.0], scaler.Max);
        Assert.Equal([0, 0.125, 0.25, 0.375, 0.5, 1], data.Frame.Column("a")[..6]);
    }

    [Fact]
    public void Etth1_statistics_come_from_the_first_8640_rows()
    {
        var frame = EttData.Etth1;
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.InformerEtt(frame, EttGranularity.Hourly, 96), ForecastColumns.Univariate("OT"));
        var scaler = Assert.IsType<StandardScaler>(data.Scaler);
        var train = frame.Column("OT")[..8640];
        var mean = train.Average();
        Assert.Equal(mean, scaler.Mean[0], 9);
        Assert.Equal(Math.Sqrt(train.Select(v => (v - mean) * (v - mean)).Average()), scaler.Std[0], 9);
        Assert.Equal(["OT"], data.InputColumns);
    }

    [Theory]
    [InlineData(ScalerKind.Standard)]
    [InlineData(ScalerKind.MinMax)]
    public void Inverse_of_transform_is_identity(ScalerKind kind)
    {
        var frame = EttData.Etth1;
        var data = ForecastDataset.Prepare(frame, ChronologicalSplit.InformerEtt(frame, EttGranularity.Hourly, 96), ForecastColumns.Multivariate(frame), kind);
        var scaler = data.Scaler!;

        var back = scaler.InverseTransform(data.Frame);
        var original = frame.Values;
        var restored = back.Values;
        for (var i = 0; i < original.Length; i++)
            Assert.True(Math.Abs(original[i] - restored[i]) <= 1e-5, $"value {i}: {original[i]} became {restored[i]}");

        // Tensors (float32, predictions-shaped [N, horizon, targets]): back to original units within float precision.
        using var windows = data.Windows(SplitPart.Test, 24).Range(0, 8);
        using var originalUnits = data.ToOriginalUnits(windows.Targets);
        using var again = scaler.Transform(originalUnits, data.TargetColumns);
        Assert.True(again.allclose(windows.Targets, rtol: 0, atol: 1e-5));
        // First target of the first test window is row 11520 of the raw file.
        Assert.Equal(frame[11520, 0], originalUnits[0, 0, 0].item<float>(), 4);
    }

    [Fact]
    public void Scalers_refuse_missing_training_values()
    {
        var times = new[] { new DateTime(2020, 1, 1), new DateTime(2020, 1, 2), new DateTime(2020, 1, 3) };
        var frame = new TimeSeriesFrame("holes.csv", times, ["a"], [1, double.NaN, 3]);
        var e = Assert.Throws<DataException>(() => ForecastDataset.Prepare(frame, ChronologicalSplit.ByCounts(frame, 2, 1, 0, 1), ForecastColumns.Univariate("a")));
        Assert.Equal("holes.csv: column 'a' is missing a value at training row 1; fill or drop missing values before fitting a scaler", e.Message);
    }

    [Fact]
    public void Scaler_from_saved_statistics()
    {
        var scaler = new StandardScaler(["x"], [10.0], [2.0]);
        Assert.Equal(1.5, scaler.Transform("x", 13));
        Assert.Equal(13, scaler.InverseTransform("x", 1.5));
        using var t = tensor(new float[] { 1.5f, -1f });
        using var back = scaler.InverseTransform(t.reshape(2, 1), ["x"]);
        Assert.Equal([13f, 8f], back.data<float>().ToArray());
    }
}
