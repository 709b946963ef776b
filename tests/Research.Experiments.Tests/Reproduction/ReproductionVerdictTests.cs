using Research.Experiments.Reproduction;
using Research.Experiments.Settings;

namespace Research.Experiments.Tests.Reproduction;

public sealed class ReproductionVerdictTests
{
    private static ReferenceSettings Published(double value, double? relative = null, double? absolute = null, MetricDirection direction = MetricDirection.Lower) =>
        new() { Published = value, Tolerance = relative, ToleranceAbs = absolute, Direction = direction };

    [Theory]
    [InlineData(114.5, "Reproduced")]
    [InlineData(117.9, "Reproduced")] // +2.97 %
    [InlineData(118.0, "Worse")]      // +3.06 %
    [InlineData(111.1, "Reproduced")]
    [InlineData(111.0, "Better")]
    public void RelativeToleranceAroundThePublishedValue(double ours, string expected) =>
        Assert.Equal(Enum.Parse<Verdict>(expected), ReproductionVerdict.Judge(Published(114.5, relative: 0.03), ours));

    [Theory]
    [InlineData(8.9, "Reproduced")]
    [InlineData(9.0, "Worse")]
    [InlineData(8.3, "Better")]
    public void AbsoluteTolerance(double ours, string expected) =>
        Assert.Equal(Enum.Parse<Verdict>(expected), ReproductionVerdict.Judge(Published(8.67, absolute: 0.3), ours));

    [Fact]
    public void HigherIsBetterFlipsTheSides()
    {
        var accuracy = Published(0.9, absolute: 0.01, direction: MetricDirection.Higher);
        Assert.Equal(Verdict.Better, ReproductionVerdict.Judge(accuracy, 0.95));
        Assert.Equal(Verdict.Worse, ReproductionVerdict.Judge(accuracy, 0.85));
    }

    [Fact]
    public void ThresholdFindings()
    {
        var below = new ReferenceSettings { Threshold = 0.01 };
        Assert.Equal(Verdict.Reproduced, ReproductionVerdict.Judge(below, 0.002));
        Assert.Equal(Verdict.Worse, ReproductionVerdict.Judge(below, 0.05));
        // "the LSTM does not get close to 0 at T = 750": failing too reproduces it; solving it is better.
        var fails = new ReferenceSettings { Threshold = 0.05, Expect = ThresholdSide.Above };
        Assert.Equal(Verdict.Reproduced, ReproductionVerdict.Judge(fails, 0.16));
        Assert.Equal(Verdict.Better, ReproductionVerdict.Judge(fails, 0.001));
        Assert.Equal("< 0.01", ReproductionVerdict.Difference(below, 0.002));
    }

    [Fact]
    public void NothingPublishedIsMeasuredAndNoRunIsNotRun()
    {
        Assert.Equal(Verdict.Measured, ReproductionVerdict.Judge(new ReferenceSettings(), 1.5));
        Assert.Equal(Verdict.NotRun, ReproductionVerdict.Judge(Published(114.5, relative: 0.03), null));
    }

    [Fact]
    public void DifferenceIsSignedWithThePercentage() =>
        Assert.Equal("+1.5 (+1.3 %)", ReproductionVerdict.Difference(Published(114.5), 116.0));

    [Fact]
    public void CompareWithAnotherRun()
    {
        var reference = new ReferenceSettings { CompareWith = "ptb/zaremba-small", CompareTolerance = 0.01 };
        Assert.True(ReproductionVerdict.Compare(reference, 115.0, 114.2).within);
        Assert.False(ReproductionVerdict.Compare(reference, 117.0, 114.2).within);
    }
}
