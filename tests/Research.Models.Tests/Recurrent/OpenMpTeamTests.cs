using System.Collections.Concurrent;
using Research.Models.Recurrent;

namespace Research.Models.Tests.Recurrent;

public sealed class OpenMpTeamTests
{
    [Fact]
    public void OnLinuxTheWorkRunsOnLibtorchsLibgomp()
    {
        // Otherwise the step kernel falls back to .NET pool threads, which fight libgomp's spinning ones for cores.
        if (!OperatingSystem.IsLinux())
            return;
        Assert.True(OpenMpTeam.IsAvailable, $"no GOMP_parallel found (libgomp: {OpenMpTeam.LibraryPath ?? "not loaded"})");
        Assert.Contains("libgomp", Path.GetFileName(OpenMpTeam.LibraryPath!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void EveryPartitionRunsExactlyOnce(int partitions)
    {
        var counts = new int[partitions];
        OpenMpTeam.Run(partitions, p => Interlocked.Increment(ref counts[p]));
        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void SeveralPartitionsRunOnSeveralThreads()
    {
        var threads = new ConcurrentDictionary<int, bool>();
        using var bothStarted = new CountdownEvent(2);
        OpenMpTeam.Run(2, _ =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            bothStarted.Signal();
            // Both partitions are inside the region at once only if they run on two threads.
            Assert.True(bothStarted.Wait(TimeSpan.FromSeconds(30)));
        });
        Assert.Equal(2, threads.Count);
    }

    [Fact]
    public void AnExceptionInAPartitionReachesTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            OpenMpTeam.Run(3, p => throw new InvalidOperationException($"partition {p}")));
        Assert.StartsWith("partition", error.Message, StringComparison.Ordinal);
    }
}
