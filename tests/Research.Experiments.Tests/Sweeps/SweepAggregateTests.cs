using Research.Experiments.Settings;
using Research.Experiments.Sweeps;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>Aggregate maths: mean and sample standard deviation over seeds, best and worst, ranking in the mode's direction.</summary>
public sealed class SweepAggregateTests
{
    private static TrialResult Result(int id, int setting, string label, double? value, TrialState state = TrialState.Finished) =>
        new(new SweepTrial(id, setting, id, [KeyValuePair.Create("train.lr", label)], [$"train.lr={label}"]), state, value, 1.0);

    private static readonly TrialResult[] Results =
    [
        Result(0, 0, "0.1", 2.0), Result(1, 0, "0.1", 4.0), Result(2, 0, "0.1", 6.0),
        Result(3, 1, "0.01", 1.0), Result(4, 1, "0.01", 3.0), Result(5, 1, "0.01", null, TrialState.Failed),
        Result(6, 2, "0.001", null, TrialState.Interrupted), Result(7, 2, "0.001", null, TrialState.Missing),
        Result(8, 3, "1", 9.0),
    ];

    [Fact]
    public void MeanAndSampleStdOverTheFinishedSeeds()
    {
        var ranked = SweepAggregate.Rank(Results, MetricDirection.Lower);
        var first = ranked.Single(s => s.Setting == 0);
        Assert.Equal(4.0, first.Mean);
        Assert.Equal(2.0, first.Std!.Value, 12); // sqrt(((2-4)² + 0 + (6-4)²) / (3 - 1))
        Assert.Equal((2.0, 6.0), (first.Best!.Value, first.Worst!.Value));
        var second = ranked.Single(s => s.Setting == 1);
        Assert.Equal((2, 3), (second.N, second.Trials));
        Assert.Equal(Math.Sqrt(2), second.Std!.Value, 12);
        Assert.Null(ranked.Single(s => s.Setting == 3).Std);
    }

    [Fact]
    public void MinRanksLowMeansFirstMaxHighFirstAndSettingsWithoutResultsLast()
    {
        Assert.Equal([1, 0, 3, 2], SweepAggregate.Rank(Results, MetricDirection.Lower).Select(s => s.Setting));
        Assert.Equal([3, 0, 1, 2], SweepAggregate.Rank(Results, MetricDirection.Higher).Select(s => s.Setting));
        var best = SweepAggregate.Rank(Results, MetricDirection.Higher).Single(s => s.Setting == 0);
        Assert.Equal((6.0, 2.0), (best.Best!.Value, best.Worst!.Value));
    }

    [Fact]
    public void TheCsvHasOneRankedRowPerSettingWithExactNumbers()
    {
        var csv = SweepAggregate.SettingsCsv(SweepAggregate.Rank(Results, MetricDirection.Lower), ["train.lr"]).Split('\n');
        Assert.Equal("rank,setting,train.lr,n,trials,mean,std,best,worst", csv[0]);
        Assert.Equal($"1,1,0.01,2,3,2,{Math.Sqrt(2):R},1,3", csv[1]);
        Assert.Equal("2,0,0.1,3,3,4,2,2,6", csv[2]);
        Assert.Equal("4,2,0.001,0,2,,,,", csv[4]);
    }

    [Fact]
    public void CountsNameEveryStatePresent() =>
        Assert.Equal("5 finished, 1 failed, 1 interrupted, 1 missing", SweepAggregate.Counts(Results[..8]));
}
