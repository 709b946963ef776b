using Research.Experiments.Runs;

namespace Research.Experiments.Tests.Runs;

public sealed class LibTorchRetriesTests
{
    [Fact]
    public void RetriesFromOneCheckpointAreCappedAndAnAdvancedCheckpointStartsAfresh()
    {
        var retries = new LibTorchRetries(3);
        Assert.True(retries.TryRetry(5, "a"));
        Assert.True(retries.TryRetry(5, "b"));
        Assert.True(retries.TryRetry(5, "c"));
        Assert.Equal(3, retries.Count);
        Assert.False(retries.TryRetry(5, "refused"));
        // The run got past epoch 5 before failing again: a sporadic error, not one that repeats at the same place.
        Assert.True(retries.TryRetry(6, "d"));
        Assert.Equal(1, retries.Count);
        // Every retry that was made stays in the history summary.json reports; the refused one is not a retry.
        Assert.Equal([new(5, "a"), new(5, "b"), new(5, "c"), new LibTorchRetry(6, "d")], retries.History);
    }

    [Fact]
    public void NoRetriesMeansNone()
    {
        Assert.False(new LibTorchRetries(0).TryRetry(1, "x"));
    }
}
