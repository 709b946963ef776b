using Research.Experiments.Sweeps;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>A trial's state from its folder alone: missing, interrupted (no summary), failed (failure.txt), diverged, finished.</summary>
public sealed class TrialStatusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-trial").FullName;

    [Fact]
    public void NoFolderIsMissing() => Assert.Equal(TrialState.Missing, TrialStatus.Of(Path.Combine(_dir, "none")).State);

    [Fact]
    public void AFolderWithoutSummaryIsInterrupted()
    {
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), "seed: 1\n");
        Assert.Equal(TrialState.Interrupted, TrialStatus.Of(_dir).State);
    }

    [Fact]
    public void AFailureNoteMakesItFailed()
    {
        File.WriteAllText(Path.Combine(_dir, TrialStatus.FailureFileName), "DataException: no such file\n");
        var status = TrialStatus.Of(_dir);
        Assert.Equal((TrialState.Failed, "DataException: no such file"), (status.State, status.Error));
        Assert.False(status.IsDone);
    }

    [Fact]
    public void SummaryStatusDecidesFinishedOrDivergedAndGivesTheMetric()
    {
        File.WriteAllText(Path.Combine(_dir, "summary.json"), """{"status": "finished", "wall_seconds": 3.5, "test": {"loss": 1.25}}""");
        var finished = TrialStatus.Of(_dir);
        Assert.Equal(TrialState.Finished, finished.State);
        Assert.Equal(1.25, finished.Metric("test.loss"));
        Assert.Null(finished.Metric("test.mse"));
        Assert.Equal(3.5, finished.WallSeconds);
        Assert.True(finished.IsDone);

        File.WriteAllText(Path.Combine(_dir, "summary.json"), """{"status": "diverged", "error": "loss is NaN", "test": null}""");
        var diverged = TrialStatus.Of(_dir);
        Assert.Equal((TrialState.Diverged, "loss is NaN"), (diverged.State, diverged.Error));
        Assert.True(diverged.IsDone);
        Assert.Null(diverged.Metric("test.loss"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
