using Research.Data.Synthetic;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Tasks;

/// <summary>
/// SequenceTask's metrics on the adding and copying problems, with models whose outputs are constants we choose, so
/// each number follows by hand from the data (the training split is drawn from the run's seed itself).
/// </summary>
public sealed class SequenceTaskTests
{
    private const int Seed = 3;

    private static SequenceTask ConstantTask(TaskKind kind, int length, int sequences, params double[] output)
    {
        var settings = new ExperimentSettings
        {
            Task = kind,
            Seed = Seed,
            Data = { SequenceLength = length, TrainSequences = sequences, EvalSequences = sequences },
            Model = { HiddenSize = 2, Layers = 1 },
            Train = { BatchSize = 7, EvalBatchSize = 7 },   // batches of 7, 7, …, and a shorter last one
        };
        var task = new SequenceTask(settings, CPU, ScalarType.Float64);
        ConstantOutput.Set(task.Model, "readout.bias", output);
        return task;
    }

    [Fact]
    public void AddingMseIsTheMeanSquaredErrorOverEverySequence()
    {
        var metrics = ConstantTask(TaskKind.Adding, length: 10, sequences: 30, 1.0).Evaluate("train");
        // Always 1: the MSE is mean (target − 1)² over the 30 sequences, however they are batched (7+7+7+7+2).
        var targets = AddingProblem.Arjovsky(30, 10, Seed).Targets.data<float>().ToArray();
        Assert.Equal(targets.Average(y => (y - 1.0) * (y - 1.0)), metrics["mse"], 6);
        Assert.Equal(metrics["mse"], metrics["loss"]);
        Assert.Equal(1.0 / 6, metrics["baseline_mse"], 15);
    }

    [Fact]
    public void AlwaysPredictingOneScoresTheBaselineOfOneSixth()
    {
        // U1 + U2 − 1 has variance 1/12 + 1/12 = 1/6 and mean 0; over 4,096 sequences the standard error is ≈ 0.003.
        var metrics = ConstantTask(TaskKind.Adding, length: 10, sequences: 4096, 1.0).Evaluate("test");
        Assert.InRange(metrics["mse"], (1.0 / 6) - 0.015, (1.0 / 6) + 0.015);
    }

    [Fact]
    public void CopyingCrossEntropyIsAveragedOverAllTPlus20Steps()
    {
        const int lag = 5;
        // Logits ln 2 for the blank, 0 for the other nine symbols: p(blank) = 2/11, p(other) = 1/11. Each sequence has
        // T + 10 blank targets and 10 symbol targets: loss = ((T + 10)·ln(11/2) + 10·ln 11) / (T + 20).
        double[] logits = [Math.Log(2), 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var metrics = ConstantTask(TaskKind.Copying, lag, sequences: 16, logits).Evaluate("train");
        Assert.Equal((((lag + 10) * Math.Log(11.0 / 2)) + (10 * Math.Log(11))) / (lag + 20), metrics["loss"], 10);
        Assert.Equal(10 * Math.Log(8) / (lag + 20), metrics["baseline_loss"], 15);
        // Recall accuracy counts the ten recalled symbols only; the blank is never one of them.
        Assert.Equal(0.0, metrics["recall_accuracy"]);
    }

    [Fact]
    public void RecallAccuracyIsTheShareOfRecalledSymbolsPredicted()
    {
        const int lag = 5;
        double[] logits = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]; // always symbol 3
        var metrics = ConstantTask(TaskKind.Copying, lag, sequences: 16, logits).Evaluate("train");
        var targets = CopyingMemory.Generate(16, lag, Seed).Targets[.., ^CopyingMemory.CopyLength..].contiguous().data<long>().ToArray();
        Assert.Equal(targets.Count(s => s == 3) / 160.0, metrics["recall_accuracy"], 15);
        Assert.InRange(metrics["recall_accuracy"], 0.01, 0.5); // the data really holds some 3s, and not only 3s
    }
}
