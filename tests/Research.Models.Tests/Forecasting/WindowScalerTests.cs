using Research.Models.Forecasting;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Forecasting;

/// <summary>Window normalisation: the statistics each kind removes, exact inversion, and what the forecast is invariant to.</summary>
public sealed class WindowScalerTests
{
    private static Tensor Window()
    {
        using var three = 3.ToScalar();
        using var five = 5.ToScalar();
        return randn([4, 12, 3], dtype: ScalarType.Float64).mul_(three).add_(five, HeldScalars.One);
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    [Fact]
    public void NoneLeavesTheWindowAndForecastAsTheyAreAndHasNoParameters()
    {
        var scaler = new WindowScaler(WindowNormalization.None, 3);
        var window = Window();
        var statistics = scaler.Fit(window);
        Assert.Equal(0.0, MaxDifference(scaler.Normalize(window, statistics), window));
        Assert.Equal(0.0, MaxDifference(scaler.Denormalize(window[.., ..5], statistics), window[.., ..5]));
        Assert.Empty(scaler.parameters());
    }

    [Fact]
    public void LastSubtractsEachTargetsLastValueAndLeavesCovariates()
    {
        var scaler = new WindowScaler(WindowNormalization.Last, 2);
        var window = Window();
        var statistics = scaler.Fit(window);
        var normalized = scaler.Normalize(window, statistics);
        Assert.Equal(0.0, normalized[.., -1, ..2].abs().max().item<double>());
        Assert.True(MaxDifference(normalized[.., .., ..2], window[.., .., ..2] - window.narrow(1, 11, 1)[.., .., ..2]) < 1e-12);
        Assert.Equal(0.0, MaxDifference(normalized[.., .., 2..], window[.., .., 2..]));
        // Back: the targets' last values are added again.
        var forecast = zeros([4, 6, 2], dtype: ScalarType.Float64);
        Assert.Equal(0.0, MaxDifference(scaler.Denormalize(forecast, statistics), window.narrow(1, 11, 1)[.., .., ..2].expand(4, 6, 2)));
    }

    [Fact]
    public void RevInStandardisesEachTargetAndInvertsExactly()
    {
        manual_seed(2);
        var scaler = new WindowScaler(WindowNormalization.RevIn, 3, dtype: ScalarType.Float64);
        var window = Window();
        var statistics = scaler.Fit(window);
        var normalized = scaler.Normalize(window, statistics);
        Assert.True(normalized.mean([1]).abs().max().item<double>() < 1e-12);
        Assert.True(normalized.var(1, unbiased: false).sub(HeldScalars.One).abs().max().item<double>() < 1e-5);
        // With a learnt affine map that is not the identity, Denormalize still undoes Normalize.
        using var half = 0.5.ToScalar();
        using (no_grad())
            foreach (var p in scaler.parameters())
                p.copy_(rand_like(p).add_(half, HeldScalars.One));
        Assert.True(MaxDifference(scaler.Denormalize(scaler.Normalize(window, statistics), statistics), window) < 1e-8);
        Assert.Equal(["bias", "weight"], scaler.named_parameters().Select(p => p.name).Order());
    }

    [Theory]
    [InlineData(WindowNormalization.Last)]
    [InlineData(WindowNormalization.RevIn)]
    public void ShiftingTheTargetsShiftsTheForecastByTheSameAmount(WindowNormalization kind)
    {
        manual_seed(7);
        var options = new ForecasterOptions(InputFeatures: 3, TargetFeatures: 2, Horizon: 5, HiddenSize: 6) { WindowNormalization = kind };
        var model = new Forecaster(options, dtype: ScalarType.Float64);
        model.eval();
        var window = Window();
        var shifted = window.clone();
        using var hundred = 100.0.ToScalar();
        shifted[.., .., ..2].add_(hundred, HeldScalars.One);
        Assert.True(MaxDifference(model.call(shifted), model.call(window).add(hundred, HeldScalars.One)) < 1e-9);
    }

    [Fact]
    public void RollOutShiftsWithTheTargetsAndStartsWithTheOneStepForecast()
    {
        manual_seed(8);
        var options = new ForecasterOptions(InputFeatures: 3, TargetFeatures: 1, Horizon: 1, HiddenSize: 5) { WindowNormalization = WindowNormalization.Last };
        var model = new Forecaster(options, dtype: ScalarType.Float64);
        model.eval();
        var (window, future) = (Window(), randn([4, 3, 2], dtype: ScalarType.Float64));
        var rolled = model.RollOut(window, 4, future);
        var shifted = window.clone();
        using var seven = 7.0.ToScalar();
        shifted[.., .., ..1].sub_(seven);
        Assert.True(MaxDifference(model.RollOut(shifted, 4, future), rolled.sub(seven)) < 1e-9);
        Assert.True(rolled[.., 0].allclose(model.call(window)[.., 0], rtol: 1e-12, atol: 1e-12));
    }
}
