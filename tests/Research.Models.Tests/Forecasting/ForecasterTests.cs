using Research.Models.Forecasting;
using Research.Models.Recurrent;
using Research.Models.Sequence;
using static TorchSharp.torch;

namespace Research.Models.Tests.Forecasting;

public sealed class ForecasterTests
{
    [Fact]
    public void DirectForecastHasHorizonByTargets()
    {
        var model = new Forecaster(new ForecasterOptions(InputFeatures: 7, TargetFeatures: 7, Horizon: 24, HiddenSize: 8));
        Assert.Equal([5L, 24L, 7L], model.call(randn([5, 96, 7])).shape);
    }

    public static TheoryData<RecurrentCellKind> Cells() => new(Enum.GetValues<RecurrentCellKind>());

    [Theory]
    [MemberData(nameof(Cells))]
    public void RollOutsFirstStepIsTheOneStepForecast(RecurrentCellKind cell)
    {
        manual_seed(4);
        var options = new ForecasterOptions(InputFeatures: 3, TargetFeatures: 1, Horizon: 1, HiddenSize: 5) { Recurrence = new(cell) };
        var model = new Forecaster(options, dtype: ScalarType.Float64);
        model.eval();
        var window = randn([2, 10, 3], dtype: ScalarType.Float64);
        var future = randn([2, 4, 2], dtype: ScalarType.Float64);
        var rolled = model.RollOut(window, 4, future);
        Assert.Equal([2L, 4L, 1L], rolled.shape);
        Assert.True(rolled[.., 0].allclose(model.call(window)[.., 0], rtol: 1e-12, atol: 1e-12));
        Assert.Throws<ArgumentException>(() => model.RollOut(window, 4));
    }

    [Fact]
    public void SequenceModelReadsOutLastStepOrEveryStep()
    {
        var last = new SequenceModel(new SequenceModelOptions(2, 6, 1, SequenceReadout.LastStep));
        var every = new SequenceModel(new SequenceModelOptions(88, 6, 88, SequenceReadout.EveryStep));
        Assert.Equal([4L, 1L], last.call(randn([30, 4, 2])).shape);
        Assert.Equal([30L, 4L, 88L], every.call(randn([30, 4, 88])).shape);
    }
}
