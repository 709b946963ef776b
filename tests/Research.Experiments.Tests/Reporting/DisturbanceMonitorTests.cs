using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

/// <summary>
/// The monitor takes a reference sample again while this process's JIT compiles (counted here by a fake counter), up
/// to <see cref="DisturbanceMonitor.MaxRetakes"/> times, and the verdict says how many it retook.
/// </summary>
public sealed class DisturbanceMonitorTests
{
    [Fact]
    public void ASampleDuringWhichMethodsWereCompiledIsTakenAgain()
    {
        // Compiles during the first two takes (the count moves between each take's two reads), none after.
        var reads = 0;
        using var monitor = new DisturbanceMonitor(() => Math.Min(++reads, 4));
        monitor.Sample();
        Assert.Equal(2, monitor.Retakes);
        var verdict = monitor.Verdict();
        Assert.Single(verdict.ReferenceMs);
        Assert.Equal(2, verdict.Retakes);
        Assert.Contains("2 taken again while this process's JIT compiled", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AJitThatNeverStopsCostsAtMostMaxRetakesAndTheSampleIsStillKept()
    {
        var reads = 0L;
        using var monitor = new DisturbanceMonitor(() => ++reads);
        monitor.Sample();
        monitor.Sample();
        Assert.Equal(2 * DisturbanceMonitor.MaxRetakes, monitor.Retakes);
        Assert.Equal(2, monitor.Verdict().ReferenceMs.Count);
    }

    [Fact]
    public void WithoutCompilesNothingIsRetakenAndTheSummarySaysNothingOfIt()
    {
        using var monitor = new DisturbanceMonitor(() => 7);
        monitor.Sample();
        Assert.Equal(0, monitor.Retakes);
        Assert.DoesNotContain("taken again", monitor.Verdict().Summary, StringComparison.Ordinal);
    }
}
