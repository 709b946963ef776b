using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

/// <summary>
/// The monitor takes a reference sample again while this process's JIT compiles (counted here by a fake counter), up
/// to <see cref="DisturbanceMonitor.MaxRetakes"/> times, and the verdict says how many it retook. A round followed by a
/// slow sample (scripted here) is to be timed again once the reference is back, up to
/// <see cref="DisturbanceMonitor.MaxRoundRetakes"/> rounds, and the samples set aside are reported.
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

    // A monitor whose reference timings come from the script (then 5.0 ms for ever), with no waiting.
    private static DisturbanceMonitor Scripted(params double[] timings)
    {
        var next = 0;
        return new DisturbanceMonitor(() => 0, () => next < timings.Length ? timings[next++] : 5.0, _ => { });
    }

    [Fact]
    public void ARoundFollowedByASlowSampleIsTimedAgainOnceTheReferenceIsBack()
    {
        // Start 5.0; round 1 then 5.2 (kept); round 2 then 7.5 (slow: set aside), two probes still slow, one back;
        // round 2 again then 5.1 (kept).
        using var monitor = Scripted(5.0, 5.2, 7.5, 7.0, 6.5, 5.1, 5.1);
        monitor.Sample();
        Assert.True(monitor.KeepRound());
        Assert.False(monitor.KeepRound());
        Assert.True(monitor.KeepRound());
        var verdict = monitor.Verdict();
        Assert.Equal([5.0, 5.2, 5.1], verdict.ReferenceMs);
        Assert.Equal([7.5, 7.0, 6.5], verdict.SetAsideMs);
        Assert.Equal(1, verdict.RoundRetakes);
        // The kept samples agree (the load average, this machine's, may still make the run contended).
        Assert.DoesNotContain(verdict.Reasons, r => r.Contains("reference product", StringComparison.Ordinal));
        Assert.Contains("1 slow samples set aside and their rounds timed again, with the probes while waiting: 7.50, 7.00, 6.50 ms", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AMachineThatStaysSlowStillReadsContendedAfterTheLastRetake()
    {
        var timings = new[] { 5.0 }.Concat(Enumerable.Repeat(9.0, 1000)).ToArray();
        using var monitor = Scripted(timings);
        monitor.Sample();
        var retimed = 0;
        while (!monitor.KeepRound())
            retimed++;
        Assert.Equal(DisturbanceMonitor.MaxRoundRetakes, retimed);
        var verdict = monitor.Verdict();
        Assert.Contains(verdict.Reasons, r => r.Contains("the reference product varied by 80 %", StringComparison.Ordinal));
        Assert.Equal([5.0, 9.0], verdict.ReferenceMs);
    }

    [Fact]
    public void AnOpeningSampleThatIsSlowIsSetAsideUntilTheReferenceIsBack()
    {
        // 5.0 from an earlier part; this part opens at 7.0 (slow), the probe reads 5.1, and the opening is taken at 5.2.
        using var monitor = Scripted(5.0, 7.0, 5.1, 5.2);
        monitor.Sample();
        monitor.Open();
        var verdict = monitor.Verdict();
        Assert.Equal([5.0, 5.2], verdict.ReferenceMs);
        Assert.Equal([7.0], verdict.SetAsideMs);
    }
}
