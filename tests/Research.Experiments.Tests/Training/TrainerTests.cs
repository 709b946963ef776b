using Research.Experiments.Checkpoints;
using Research.Experiments.Logging;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Training;

/// <summary>The training loop on a task whose behaviour the test controls.</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-trainer").FullName;

    /// <summary>Fits y = 2x with one weight; at (<paramref name="badEpoch"/>, <paramref name="badStep"/>) the loss is NaN.</summary>
    private sealed class LineTask(int badEpoch = -1, int badStep = -1, bool heldOut = true) : ITrainingTask
    {
        private readonly nn.Module<Tensor, Tensor> _model = nn.Linear(1, 1, hasBias: false);

        public nn.Module Model => _model;

        public string ItemName => "points";

        public long StepsPerEpoch => 4;

        public bool HeldOut => heldOut;

        public IEnumerable<TrainingBatch> TrainingBatches(int epoch)
        {
            for (var step = 1; step <= StepsPerEpoch; step++)
            {
                var x = tensor(new float[] { 1, 2, 3 }).view(-1, 1);
                using var two = 2.ToScalar();
                var loss = nn.functional.mse_loss(_model.call(x), x.mul(two));
                if (epoch == badEpoch && step == badStep)
                {
                    using var nan = float.NaN.ToScalar();
                    loss = loss.mul(nan);
                }
                yield return new TrainingBatch(loss, loss.ReadDouble(), 3);
            }
        }

        public IReadOnlyDictionary<string, double> Evaluate(string split)
        {
            Assert.True(heldOut, $"the trainer evaluated '{split}' on a task without held-out splits");
            using var noGrad = no_grad();
            var x = tensor(new float[] { 4, 5 }).view(-1, 1);
            using var two = 2.ToScalar();
            return FromLoss(nn.functional.mse_loss(_model.call(x), x.mul(two)).ReadDouble());
        }

        public IReadOnlyDictionary<string, double> FromLoss(double meanLoss) => new Dictionary<string, double> { ["loss"] = meanLoss };
    }

    private sealed class ListSink : IMetricsSink
    {
        public List<MetricRecord> Records { get; } = [];

        public void Write(MetricRecord record) => Records.Add(record);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class SilentProgress : IProgressReporter
    {
        public void BeginEpoch(int epoch, long totalSteps)
        {
        }

        public void Step(long completedSteps, IReadOnlyDictionary<string, double> metrics)
        {
        }

        public void EndEpoch(IReadOnlyDictionary<string, double> summary)
        {
        }

        public void Dispose()
        {
        }
    }

    private CheckpointPaths Paths => new(Path.Combine(_dir, "last.ckpt"), Path.Combine(_dir, "best.ckpt"));

    [Fact]
    public void TrainsValidatesCheckpointsAndTestsTheBestEpoch()
    {
        var sink = new ListSink();
        var settings = new TrainSettings { Epochs = 3, Optimizer = OptimizerKind.Sgd, Lr = 0.01, ClipNorm = 0, LogEvery = 1 };
        var outcome = new Trainer(new LineTask(), settings, sink, new SilentProgress(), Paths, "resolved: yaml").Fit();

        Assert.Equal(3, outcome.EpochsRun);
        Assert.Equal(12, outcome.Steps);
        var valid = sink.Records.Where(r => r is { Split: "valid", Name: "loss" }).Select(r => r.Value).ToList();
        Assert.Equal(3, valid.Count);
        Assert.True(valid[2] < valid[0]);
        Assert.Equal(3, Checkpoint.ReadMeta(Paths.Last).Epoch);
        Assert.Equal("resolved: yaml", Checkpoint.ReadMeta(Paths.Best).ResolvedConfig);
        Assert.Equal(outcome.BestEpoch, Checkpoint.ReadMeta(Paths.Best).Epoch);
        Assert.Single(sink.Records, r => r is { Split: "test", Name: "loss" });
        Assert.Equal(12, sink.Records.Count(r => r is { Split: "train", Name: "grad_norm" }));
    }

    [Fact]
    public void WithoutHeldOutSplitsTheEpochTrainingLossChoosesTheBestAndNothingIsTested()
    {
        var sink = new ListSink();
        var settings = new TrainSettings { Epochs = 3, Optimizer = OptimizerKind.Sgd, Lr = 0.01, ClipNorm = 0 };
        var outcome = new Trainer(new LineTask(heldOut: false), settings, sink, new SilentProgress(), Paths, "").Fit();

        Assert.DoesNotContain(sink.Records, r => r.Split is "valid" or "test");
        Assert.Empty(outcome.Test);
        Assert.Empty(outcome.BestValid);
        var train = sink.Records.Where(r => r is { Split: "train", Name: "loss" }).Select(r => r.Value).ToList();
        Assert.Equal(3, train.Count);
        Assert.Equal(train[^1], outcome.LastTrain["loss"]);
        // The loss falls every epoch, so the best checkpoint is the last epoch's, its metric the training loss.
        Assert.Equal(3, outcome.BestEpoch);
        Assert.Equal(train[^1], Checkpoint.ReadMeta(Paths.Best).BestMetric);
    }

    [Fact]
    public void ANonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var settings = new TrainSettings { Epochs = 3, Optimizer = OptimizerKind.Sgd, Lr = 0.01, ClipNorm = 1 };
        var trainer = new Trainer(new LineTask(badEpoch: 2, badStep: 3), settings, new ListSink(), new SilentProgress(), Paths, "");
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit());

        Assert.StartsWith("training diverged at epoch 2, step 7: loss NaN", e.Message, StringComparison.Ordinal);
        Assert.Contains(Paths.Last, e.Message, StringComparison.Ordinal);
        var meta = Checkpoint.ReadMeta(Paths.Last);
        Assert.Equal(1, meta.Epoch);
        Assert.Equal(4, meta.Step);
    }

    [Fact]
    public void EarlyStoppingEndsAfterThePatienceRunsOut()
    {
        // lr 0 never improves after epoch 1, so with patience 2 the run stops after epoch 3.
        var settings = new TrainSettings { Epochs = 10, Optimizer = OptimizerKind.Sgd, Lr = 1e-300, EarlyStoppingPatience = 2 };
        var outcome = new Trainer(new LineTask(), settings, new ListSink(), new SilentProgress(), Paths, "").Fit();
        Assert.True(outcome.StoppedEarly);
        Assert.Equal(3, outcome.EpochsRun);
        Assert.Equal(1, outcome.BestEpoch);
    }

    [Theory]
    [InlineData(0.001, 0.0, 0.001)]   // clamp only: the one weight moves by exactly the clamp
    [InlineData(0.5, 0.0001, 0.0001)] // clamp, then the norm clip scales what is left
    public void ClipValueClampsEveryGradientElementBeforeTheNormClip(double clipValue, double clipNorm, double expectedMove)
    {
        // y = 2x from a weight in U(±1): the gradient is (2/3)·14·(w − 2), at least 9 in size, and negative.
        var task = new LineTask();
        var weight = task.Model.parameters().Single();
        var before = weight.ReadDouble();
        var sink = new ListSink();
        var settings = new TrainSettings { Epochs = 1, MaxSteps = 1, Optimizer = OptimizerKind.Sgd, Lr = 1, ClipValue = clipValue, ClipNorm = clipNorm, LogEvery = 1 };
        new Trainer(task, settings, sink, new SilentProgress(), Paths, "").Fit();

        Assert.Equal(expectedMove, weight.ReadDouble() - before, 1e-6);
        // The logged norm is the raw gradient's, before any clipping.
        var norm = sink.Records.Single(r => r is { Split: "train", Name: "grad_norm" }).Value;
        Assert.Equal(28.0 / 3 * (2 - before), norm, 1e-4);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
