using Research.Models.Forecasting;
using static TorchSharp.torch;

namespace Research.Models.Tests.Forecasting;

/// <summary>Window normalisation: the statistics each kind removes, exact inversion, and what the forecast is invariant to.</summary>
public sealed class WindowScalerTests
{
    private static Tensor Window() => randn([4, 12, 3], dtype: ScalarType.Float64).mul_(3).add_(5);

    [Fact]
    public void NoneLeavesTheWindowAndForecastAsTheyAreAndHasNoParameters()
    {
        var scaler = new WindowScaler(WindowNormalization.None, 3, 1);
        var window = Window();
        var statistics = scaler.Fit(window);
        Assert.True(scaler.Normalize(window, statistics).equal(window).all().item<bool>());
        Assert.True(scaler.Denormalize(window[.., ..5, ..1], statistics).equal(window[.., ..5, ..1]).all().item<bool>());
        Assert.Empty(scaler.parameters());
    }

    [Fact]
    public void LastSubtractsEachChannelsLastValue()
    {
        var scaler = new WindowScaler(WindowNormalization.Last, 3, 2);
        var window = Window();
        var statistics = scaler.Fit(window);
        var normalized = scaler.Normalize(window, statistics);
        Assert.Equal(0.0, normalized[.., -1].abs().max().item<double>());
        Assert.True((normalized[.., 0] - (window[.., 0] - window[.., -1])).abs().max().item<double>() < 1e-12);
        // Back: the targets' (first two channels') last values are added again.
        var forecast = zeros([4, 6, 2], dtype: ScalarType.Float64);
        Assert.True(scaler.Denormalize(forecast, statistics).allclose(window.narrow(1, 11, 1)[.., .., ..2].expand(4, 6, 2)));
    }

    [Fact]
    public void RevInStandardisesEachChannelAndInvertsExactly()
    {
        manual_seed(2);
        var scaler = new WindowScaler(WindowNormalization.RevIn, 3, 3, dtype: ScalarType.Float64);
        var window = Window();
        var statistics = scaler.Fit(window);
        var normalized = scaler.Normalize(window, statistics);
        Assert.True(normalized.mean([1]).abs().max().item<double>() < 1e-12);
        Assert.True((normalized.var(1, unbiased: false) - 1).abs().max().item<double>() < 1e-5);
        // With a learnt affine map that is not the identity, Denormalize still undoes Normalize.
        using (no_grad())
            foreach (var p in scaler.parameters())
                p.copy_(rand_like(p).add_(0.5));
        var again = scaler.Denormalize(scaler.Normalize(window, statistics), statistics);
        Assert.True((again - window).abs().max().item<double>() < 1e-8);
        Assert.Equal(["bias", "weight"], scaler.named_parameters().Select(p => p.name).Order());
    }

    [Theory]
    [InlineData(WindowNormalization.Last)]
    [InlineData(WindowNormalization.RevIn)]
    public void ShiftingTheWholeWindowShiftsTheForecastByTheSameAmount(WindowNormalization kind)
    {
        manual_seed(7);
        var model = new Forecaster(new ForecasterOptions(InputFeatures: 2, TargetFeatures: 2, Horizon: 5, HiddenSize: 6) { WindowNormalization = kind }, dtype: ScalarType.Float64);
        model.eval();
        var window = Window()[.., .., ..2];
        var shifted = model.call(window + 100.0);
        Assert.True((shifted - (model.call(window) + 100.0)).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void RollOutNormalisesFutureCovariatesWithTheWindowsStatistics()
    {
        manual_seed(8);
        var options = new ForecasterOptions(InputFeatures: 3, TargetFeatures: 1, Horizon: 1, HiddenSize: 5) { WindowNormalization = WindowNormalization.Last };
        var model = new Forecaster(options, dtype: ScalarType.Float64);
        model.eval();
        var (window, future) = (Window(), randn([4, 3, 2], dtype: ScalarType.Float64));
        // Shifting every channel of the window and of the future covariates alike shifts the roll-out alike.
        var rolled = model.RollOut(window, 4, future);
        var shifted = model.RollOut(window - 7.0, 4, future - 7.0);
        Assert.True((shifted - (rolled - 7.0)).abs().max().item<double>() < 1e-9);
        Assert.True(rolled[.., 0].allclose(model.call(window)[.., 0], rtol: 1e-12, atol: 1e-12));
    }
}
