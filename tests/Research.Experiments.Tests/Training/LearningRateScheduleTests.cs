using Research.Experiments.Settings;
using Research.Experiments.Training;

namespace Research.Experiments.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private static double[] Rates(TrainSettings settings, params double[] validLosses)
    {
        var schedule = new LearningRateSchedule(settings);
        var rates = new List<double> { schedule.Current };
        for (var epoch = 1; epoch <= validLosses.Length; epoch++)
            rates.Add(schedule.AfterEpoch(epoch, validLosses[epoch - 1]));
        return [.. rates];
    }

    [Fact]
    public void ZarembaSmallKeepsFourEpochsThenHalves()
    {
        var rates = Rates(new TrainSettings { Lr = 1, Schedule = ScheduleKind.DecayAfter, DecayAfter = 4, DecayFactor = 0.5 }, 5, 4, 3, 2, 1, 1);
        Assert.Equal([1, 1, 1, 1, 0.5, 0.25, 0.125], rates);
    }

    [Fact]
    public void PlateauDividesByFourWhenValidationDoesNotImprove()
    {
        var rates = Rates(new TrainSettings { Lr = 20, Schedule = ScheduleKind.Plateau, PlateauFactor = 4 }, 5, 4, 4.5, 3, 3);
        Assert.Equal([20, 20, 20, 5, 5, 1.25], rates);
    }

    [Fact]
    public void CosineStepAndConstant()
    {
        var cosine = Rates(new TrainSettings { Lr = 1, MinLr = 0, Epochs = 4, Schedule = ScheduleKind.Cosine }, 1, 1, 1);
        Assert.Equal(1, cosine[0], 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI / 4)), cosine[1], 12);
        Assert.Equal(0.5, cosine[2], 12);
        var step = Rates(new TrainSettings { Lr = 1, StepSize = 2, StepGamma = 0.1, Schedule = ScheduleKind.Step }, 1, 1, 1, 1);
        Assert.Equal([1, 1, 0.1, 0.1, 0.01], step, new ToleranceComparer(1e-12));
        Assert.Equal([0.3, 0.3, 0.3], Rates(new TrainSettings { Lr = 0.3 }, 1, 2));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
