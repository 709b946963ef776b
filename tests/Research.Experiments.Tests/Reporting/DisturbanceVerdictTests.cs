using Research.Experiments.Benchmarks;
using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

public sealed class DisturbanceVerdictTests
{
    [Fact]
    public void AQuietRunHasASteadyReferenceAndALoadWithinItsCores()
    {
        var verdict = DisturbanceVerdict.From([10.0, 10.5, 10.2, 10.9], [1.2, 2.0], cores: 2);
        Assert.False(verdict.Contended);
        Assert.StartsWith("quiet:", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AReferenceThatVariesByMoreThanTheToleranceMakesTheRunContended()
    {
        var verdict = DisturbanceVerdict.From([10.0, 11.5, 10.1], [1.0], cores: 2);
        Assert.True(verdict.Contended);
        Assert.Contains("varied by 15 %", Assert.Single(verdict.Reasons), StringComparison.Ordinal);
        Assert.StartsWith("CONTENDED:", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoadAboveTheBenchmarksCoresMakesTheRunContended()
    {
        var verdict = DisturbanceVerdict.From([10.0, 10.0], [1.5, 3.2], cores: 2);
        Assert.Contains("load average reached 3.20", Assert.Single(verdict.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void ARatioThatDisagreesWithItsOwnColumnsIsAReason()
    {
        // docs/bench-lm.md once printed 2,336 against 2,605 tokens/s (0.90) with a ratio of 1.02.
        Assert.NotNull(DisturbanceVerdict.RatioDisagreement("small kernel", 1.02, 2336, 2605));
        Assert.Null(DisturbanceVerdict.RatioDisagreement("small kernel", 0.91, 2336, 2605));
        var verdict = DisturbanceVerdict.From([10.0], [1.0], 2).With(["rounds disagree"]);
        Assert.True(verdict.Contended);
    }

    [Fact]
    public void AContendedReportIsWrittenOnlyWhenForced()
    {
        var quiet = DisturbanceVerdict.From([10.0, 10.1], [1.0], 2);
        var contended = DisturbanceVerdict.From([10.0, 20.0], [1.0], 2);
        var console = new StringWriter();
        Assert.True(ReportGate.MayWrite(quiet, force: false, "docs/bench.md", console));
        Assert.False(ReportGate.MayWrite(contended, force: false, "docs/bench.md", console));
        Assert.Contains("docs/bench.md not written", console.ToString(), StringComparison.Ordinal);
        Assert.True(ReportGate.MayWrite(contended, force: true, "docs/bench.md", console));
    }
}
