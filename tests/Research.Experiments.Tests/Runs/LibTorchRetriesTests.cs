using Research.Experiments.Runs;

namespace Research.Experiments.Tests.Runs;

public sealed class LibTorchRetriesTests
{
    [Fact]
    public void RetriesFromOneCheckpointAreCappedAndAnAdvancedCheckpointStartsAfresh()
    {
        var retries = new LibTorchRetries(3);
        Assert.True(retries.TryRetry(5));
        Assert.True(retries.TryRetry(5));
        Assert.True(retries.TryRetry(5));
        Assert.Equal(3, retries.Count);
        Assert.False(retries.TryRetry(5));
        // The run got past epoch 5 before failing again: a sporadic error, not one that repeats at the same place.
        Assert.True(retries.TryRetry(6));
        Assert.Equal(1, retries.Count);
    }

    [Fact]
    public void NoRetriesMeansNone()
    {
        Assert.False(new LibTorchRetries(0).TryRetry(1));
    }
}
