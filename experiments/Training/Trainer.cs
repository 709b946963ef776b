using System.Diagnostics;
using Research.Experiments.Checkpoints;
using Research.Experiments.Logging;
using Research.Experiments.Settings;
using Research.Models.Optimization;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Training;

/// <summary>Where a trainer keeps its checkpoints.</summary>
public sealed record CheckpointPaths(string Last, string Best);

/// <summary>
/// The one training loop of the project: for each epoch, forward (by the task) → backward → clip → step per batch,
/// then validate, update the schedule, checkpoint (best and last), and stop early when asked; at the end the best
/// checkpoint is reloaded and tested. A task without held-out splits is judged on its epoch training loss instead,
/// and nothing is tested. One dispose scope per step and one per epoch keep native memory flat.
/// </summary>
public sealed class Trainer(
    ITrainingTask task,
    TrainSettings settings,
    IMetricsSink sink,
    IProgressReporter progress,
    CheckpointPaths checkpoints,
    string resolvedConfig)
{
    public TrainingOutcome Fit(bool resume = false)
    {
        var clock = Stopwatch.StartNew();
        using var stress = GcStress.StartIf(settings.GcStress);
        var model = task.Model;
        var parameters = model.parameters().ToList();
        using var optimizer = OptimizerFactory.Create(parameters, settings);
        var schedule = new LearningRateSchedule(settings);
        var (epoch, step, best, bestEpoch, stale) = (1, 0L, double.PositiveInfinity, 0, 0);
        var earlierSeconds = 0.0; // training time before the checkpoint a resumed run starts from
        if (resume)
        {
            var meta = Checkpoint.Load(checkpoints.Last, model, optimizer);
            schedule.Restore((meta.LearningRate, meta.ScheduleBestLoss));
            (epoch, step, best, bestEpoch, stale) = (meta.Epoch + 1, meta.Step, meta.BestMetric, meta.BestEpoch, meta.EpochsWithoutImprovement);
            earlierSeconds = meta.TrainingSeconds;
        }

        var stoppedEarly = false;
        var lastTrain = new Dictionary<string, double>();
        for (; epoch <= settings.Epochs && !stoppedEarly; epoch++)
        {
            OptimizerFactory.SetLearningRate(optimizer, schedule.Current);
            var epochClock = Stopwatch.StartNew();
            var (lossSum, items) = (0.0, 0L);
            progress.BeginEpoch(epoch, task.StepsPerEpoch);
            model.train();
            using (var epochScope = NewDisposeScope())
            using (var batches = task.TrainingBatches(epoch).GetEnumerator())
            {
                var stepInEpoch = 0L;
                while (true)
                {
                    using var stepScope = NewDisposeScope();
                    if (!batches.MoveNext())
                        break;
                    var batch = batches.Current;
                    optimizer.ZeroGrad();
                    Backpropagation.Run(batch.Loss);
                    var (gradNorm, gradientScale) = Clip(parameters);
                    if (!double.IsFinite(batch.MeanLoss) || !double.IsFinite(gradNorm))
                        throw new TrainingDivergedException(
                            $"training diverged at epoch {epoch}, step {step + 1}: loss {batch.MeanLoss}, gradient norm {gradNorm}; "
                            + $"the last good checkpoint is {(File.Exists(checkpoints.Last) ? checkpoints.Last : "(none yet)")}");
                    optimizer.Step(gradientScale);
                    step++;
                    stepInEpoch++;
                    lossSum += batch.MeanLoss * batch.Items;
                    items += batch.Items;
                    var throughput = items / epochClock.Elapsed.TotalSeconds;
                    if (step % settings.LogEvery == 0)
                    {
                        Write(step, epoch, "train", "step_loss", batch.MeanLoss);
                        Write(step, epoch, "train", "grad_norm", gradNorm);
                        Write(step, epoch, "train", "lr", schedule.Current);
                        Write(step, epoch, "train", $"{task.ItemName}_per_second", throughput);
                    }
                    progress.Step(stepInEpoch, new Dictionary<string, double>
                    {
                        ["loss"] = lossSum / items,
                        ["lr"] = schedule.Current,
                        [$"{task.ItemName}/s"] = throughput,
                    });
                    if (settings.MaxSteps > 0 && step >= settings.MaxSteps)
                    {
                        stoppedEarly = true;
                        break;
                    }
                }
            }

            var summary = new Dictionary<string, double>();
            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            lastTrain.Clear();
            foreach (var (name, value) in task.FromLoss(lossSum / Math.Max(1, items)))
                summary[$"train/{name}"] = lastTrain[name] = Write(step, epoch, "train", name, value);
            // The loss that judges the epoch: validation's, or the training loss where nothing is held out.
            var judgedLoss = lastTrain["loss"];
            if (task.HeldOut)
            {
                foreach (var (name, value) in task.Evaluate("valid"))
                    summary[$"valid/{name}"] = Write(step, epoch, "valid", name, value);
                judgedLoss = summary["valid/loss"];
            }
            summary["lr"] = Write(step, epoch, "train", "lr", schedule.Current);
            Write(step, epoch, "train", $"{task.ItemName}_per_second", items / trainSeconds);
            Write(step, epoch, "system", "epoch_seconds", epochClock.Elapsed.TotalSeconds);
            Write(step, epoch, "system", "peak_rss_mb", Process.GetCurrentProcess().PeakWorkingSet64 / 1e6);
            Write(step, epoch, "system", "live_tensors", Tensor.TotalCount);

            if (!double.IsFinite(judgedLoss))
                throw new TrainingDivergedException($"{(task.HeldOut ? "validation" : "training")} loss is {judgedLoss} after epoch {epoch}; the last good checkpoint is {checkpoints.Last}");
            var improved = judgedLoss < best;
            if (improved)
                (best, bestEpoch, stale) = (judgedLoss, epoch, 0);
            else
                stale++;
            schedule.AfterEpoch(epoch, judgedLoss);
            var meta = new CheckpointMeta(epoch, step, best, bestEpoch, stale, schedule.Current, schedule.BestLoss, resolvedConfig, DateTime.UtcNow,
                earlierSeconds + clock.Elapsed.TotalSeconds);
            if (improved)
                Checkpoint.Save(checkpoints.Best, meta, model, optimizer);
            Checkpoint.Save(checkpoints.Last, meta, model, optimizer);
            sink.Flush();
            progress.EndEpoch(summary);
            if (settings.EarlyStoppingPatience > 0 && stale >= settings.EarlyStoppingPatience)
                stoppedEarly = true;
        }

        // The reported test number is the best validation checkpoint's, as in pytorch/examples.
        var bestValid = new Dictionary<string, double>();
        var test = new Dictionary<string, double>();
        if (task.HeldOut && File.Exists(checkpoints.Best))
        {
            var bestMeta = Checkpoint.Load(checkpoints.Best, model, optimizer: null);
            foreach (var (name, value) in task.Evaluate("valid"))
                bestValid[name] = value;
            foreach (var (name, value) in task.Evaluate("test"))
                test[name] = Write(step, bestMeta.Epoch, "test", name, value);
            sink.Flush();
        }
        return new TrainingOutcome(epoch - 1, step, bestEpoch, bestValid, test, lastTrain, earlierSeconds + clock.Elapsed.TotalSeconds, stoppedEarly,
            stress?.Cycles);
    }

    private double Write(long step, int epoch, string split, string name, double value)
    {
        sink.Write(new MetricRecord(MetricRecord.Now(), step, epoch, split, name, value));
        return value;
    }

    /// <summary>
    /// Clamps every gradient element to ±clip_value, then scales the gradient to at most clip_norm (each when set);
    /// returns the global norm before either, so the logged norm and the divergence check see the raw gradient. With
    /// clip_norm alone the scaling is returned, not applied: the optimizer step applies it (folded into plain SGD's update).
    /// </summary>
    private (double Norm, Tensor? Scale) Clip(IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        if (settings.ClipValue <= 0)
            return settings.ClipNorm > 0 ? GradientClipping.NormCoefficient(parameters, settings.ClipNorm) : (GradientNorm(parameters), null);
        var norm = GradientNorm(parameters);
        GradientClipping.ClipValue(parameters, settings.ClipValue);
        if (settings.ClipNorm > 0)
            GradientClipping.ClipNorm(parameters, settings.ClipNorm);
        return (norm, null);
    }

    private static double GradientNorm(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        // Squares by multiplication: pow(2) would take an implicit Scalar, which can be finalised mid-call.
        var squares = parameters.Where(p => p.grad is not null).Select(p => p.grad!.mul(p.grad!).sum()).ToList();
        return squares.Count == 0 ? 0 : stack(squares).sum().sqrt().ReadDouble();
    }
}
