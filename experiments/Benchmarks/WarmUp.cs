using System.Diagnostics;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// A benchmark's untimed warm-up: at least a number of steps, and at least a length of time. .NET first compiles a
/// method quickly (tier 0) and compiles it again, optimised, in the background after about 30 calls; a C# implementation
/// timed after 3 warm-up steps is timed partly before that, against libtorch's native code. With `bench lstm --hidden 200
/// --repeats 9` (2026-12-06), the kernel backend's training step took 11.3–12.0 ms after 3 warm-up steps and 10.0–10.3 ms
/// after 60, while nn.LSTM's did not change.
/// </summary>
public static class WarmUp
{
    /// <summary>
    /// Runs <paramref name="step"/> until it has run <paramref name="minimumSteps"/> times and <paramref name="minimumTime"/>
    /// has passed; returns how many times it ran. <paramref name="elapsed"/>: the clock (a stopwatch started here if null).
    /// </summary>
    public static int Run(Action step, int minimumSteps, TimeSpan minimumTime, Func<TimeSpan>? elapsed = null)
    {
        var clock = Stopwatch.StartNew();
        elapsed ??= () => clock.Elapsed;
        var steps = 0;
        while (steps < minimumSteps || elapsed() < minimumTime)
        {
            step();
            steps++;
        }
        return steps;
    }
}
