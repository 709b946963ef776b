using Research.Data.Music;
using Research.Data.Synthetic;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Runtime;
using Research.Models.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tasks;

/// <summary>A time-major batch: inputs [T, B, C], targets as the task needs, and a [T, B] mask of real steps.</summary>
public sealed record SequenceBatch(Tensor Inputs, Tensor Targets, Tensor? Mask);

/// <summary>
/// The long-memory tasks and polyphonic music, each with its published loss:
/// adding — MSE of the last step's scalar (Arjovsky et al. 2016); copying — cross-entropy per step over the 10
/// symbols, averaged over all T + 20 steps (same paper); music — negative log-likelihood per time step, the sum
/// over the 88 keys of the Bernoulli losses, averaged over real (unpadded) steps (Boulanger-Lewandowski et al. 2012).
/// </summary>
public sealed class SequenceTask : ITrainingTask
{
    private readonly TaskKind _kind;
    private readonly TaskSettings<DataSettings, ModelSettings> _settings;
    private readonly Dictionary<string, IReadOnlyList<SequenceBatch>> _splits;
    private readonly int _length;

    /// <param name="jsbPath">The piano-roll file of the music task.</param>
    public SequenceTask(TaskKind kind, TaskSettings<DataSettings, ModelSettings> settings, Device device, ScalarType dtype, string? jsbPath = null)
    {
        _kind = kind;
        _settings = settings;
        var (train, eval) = (settings.Train.BatchSize, settings.Train.EvalBatchSize);
        var d = settings.Data as SequenceDataSettings;
        _length = d?.SequenceLength ?? 0;
        (_splits, var inputSize, var outputSize, var readout) = _kind switch
        {
            TaskKind.Adding when d is not null => (new Dictionary<string, IReadOnlyList<SequenceBatch>>
            {
                ["train"] = Adding(AddingProblem.Arjovsky(d.TrainSequences, d.SequenceLength, settings.Seed), train, device, dtype),
                ["valid"] = Adding(AddingProblem.Arjovsky(d.EvalSequences, d.SequenceLength, settings.Seed + 1_000_003), eval, device, dtype),
                ["test"] = Adding(AddingProblem.Arjovsky(d.EvalSequences, d.SequenceLength, settings.Seed + 2_000_003), eval, device, dtype),
            }, 2L, 1L, SequenceReadout.LastStep),
            TaskKind.Copying when d is not null => (new Dictionary<string, IReadOnlyList<SequenceBatch>>
            {
                ["train"] = Copying(CopyingMemory.Generate(d.TrainSequences, d.SequenceLength, settings.Seed), train, device, dtype),
                ["valid"] = Copying(CopyingMemory.Generate(d.EvalSequences, d.SequenceLength, settings.Seed + 1_000_003), eval, device, dtype),
                ["test"] = Copying(CopyingMemory.Generate(d.EvalSequences, d.SequenceLength, settings.Seed + 2_000_003), eval, device, dtype),
            }, CopyingMemory.SymbolCount, CopyingMemory.SymbolCount, SequenceReadout.EveryStep),
            TaskKind.Music when jsbPath is not null => MusicSplits(PianoRollCorpus.LoadJson(jsbPath), train, eval, device, dtype),
            _ => throw new ArgumentException($"task {kind} is not a sequence task, or lacks its data ({settings.Data.GetType().Name}, {jsbPath ?? "no file"})"),
        };
        var m = settings.Model;
        Model = new SequenceModel(new SequenceModelOptions(inputSize, m.HiddenSize, outputSize, readout, m.Layers, m.Dropout) { Recurrence = m.Recurrence() }, device, dtype);
        StepsPerEpoch = _splits["train"].Count;
    }

    public SequenceModel Model { get; }

    nn.Module ITrainingTask.Model => Model;

    public string ItemName => "sequences";

    public long StepsPerEpoch { get; }

    public IEnumerable<TrainingBatch> TrainingBatches(int epoch)
    {
        // A fresh batch order each epoch, fixed by (seed, epoch) so a resumed run sees the same order.
        var order = Enumerable.Range(0, _splits["train"].Count).ToArray();
        new Random(EpochSeed.Of(_settings.Seed, epoch)).Shuffle(order);
        foreach (var index in order)
        {
            var batch = _splits["train"][index];
            var (mean, steps) = Loss(batch);
            var loss = LossScaling.Apply(mean, steps, _settings.Train.LossScale);
            yield return new TrainingBatch(loss, mean.ReadDouble(), batch.Inputs.shape[1]);
        }
    }

    public IReadOnlyDictionary<string, double> Evaluate(string split)
    {
        Model.eval();
        var (sum, weight, correct, total) = (0.0, 0.0, 0L, 0L);
        using (no_grad())
        {
            foreach (var batch in _splits[split])
            {
                using var scope = NewDisposeScope();
                var (mean, _) = Loss(batch);
                var w = batch.Mask is null ? batch.Inputs.shape[1] : batch.Mask.sum().ReadDouble();
                sum += mean.ReadDouble() * w;
                weight += w;
                if (_kind == TaskKind.Copying)
                {
                    // Accuracy on the 10 recalled symbols, the part that needs memory.
                    var predicted = Model.call(batch.Inputs)[^CopyingMemory.CopyLength..].argmax(-1);
                    var expected = batch.Targets[^CopyingMemory.CopyLength..];
                    correct += predicted.eq(expected).sum().item<long>();
                    total += expected.numel();
                }
            }
        }
        Model.train();
        var metrics = new Dictionary<string, double>(FromLoss(sum / weight));
        if (_kind == TaskKind.Copying)
            metrics["recall_accuracy"] = (double)correct / total;
        return metrics;
    }

    public IReadOnlyDictionary<string, double> FromLoss(double meanLoss) => _kind switch
    {
        TaskKind.Adding => new Dictionary<string, double> { ["loss"] = meanLoss, ["mse"] = meanLoss, ["baseline_mse"] = AddingProblem.ArjovskyBaselineMse },
        TaskKind.Copying => new Dictionary<string, double> { ["loss"] = meanLoss, ["baseline_loss"] = CopyingMemory.MemorylessBaseline(_length) },
        _ => new Dictionary<string, double> { ["loss"] = meanLoss, ["nll_per_step"] = meanLoss },
    };

    /// <returns>The batch-mean loss and the number of unrolled steps it covers.</returns>
    private (Tensor mean, long steps) Loss(SequenceBatch batch)
    {
        var output = Model.call(batch.Inputs);
        switch (_kind)
        {
            case TaskKind.Adding:
                return (nn.functional.mse_loss(output, batch.Targets), batch.Inputs.shape[0]);
            case TaskKind.Copying:
                return (nn.functional.cross_entropy(output.view(-1, output.shape[^1]), batch.Targets.reshape(-1)), batch.Inputs.shape[0]);
            default:
                // Sum over the 88 keys, mean over the real time steps.
                var perStep = nn.functional.binary_cross_entropy_with_logits(output, batch.Targets, reduction: nn.Reduction.None).sum(-1);
                var mask = batch.Mask!;
                return ((perStep * mask).sum() / mask.sum(), batch.Inputs.shape[0]);
        }
    }

    private static List<SequenceBatch> Adding(SequenceSet set, int batchSize, Device device, ScalarType dtype) =>
        Chunks(set.Count, batchSize).Select(r => new SequenceBatch(
            set.Inputs[r].transpose(0, 1).to(dtype).to(device).MoveToOuterDisposeScope(),
            set.Targets[r].to(dtype).to(device).MoveToOuterDisposeScope(), null)).ToList();

    private static List<SequenceBatch> Copying(SequenceSet set, int batchSize, Device device, ScalarType dtype) =>
        Chunks(set.Count, batchSize).Select(r => new SequenceBatch(
            nn.functional.one_hot(set.Inputs[r].squeeze(-1), CopyingMemory.SymbolCount).transpose(0, 1).to(dtype).to(device),
            set.Targets[r].transpose(0, 1).to(device), null)).ToList();

    private static (Dictionary<string, IReadOnlyList<SequenceBatch>>, long, long, SequenceReadout) MusicSplits(
        PianoRollCorpus corpus, int train, int eval, Device device, ScalarType dtype) => (new Dictionary<string, IReadOnlyList<SequenceBatch>>
        {
            ["train"] = Music(corpus.Train, train, device, dtype),
            ["valid"] = Music(corpus.Valid, eval, device, dtype),
            ["test"] = Music(corpus.Test, eval, device, dtype),
        }, PianoRollCorpus.Keys, PianoRollCorpus.Keys, SequenceReadout.EveryStep);

    /// <summary>Chorales in their given order, zero-padded per batch; input step t predicts step t + 1.</summary>
    private static List<SequenceBatch> Music(IReadOnlyList<Tensor> rolls, int batchSize, Device device, ScalarType dtype)
    {
        var batches = new List<SequenceBatch>();
        foreach (var range in Chunks(rolls.Count, batchSize))
        {
            var members = rolls.Take(range).ToList();
            var steps = members.Max(r => r.shape[0]) - 1;
            var inputs = zeros([steps, members.Count, PianoRollCorpus.Keys], dtype: dtype);
            var targets = zeros([steps, members.Count, PianoRollCorpus.Keys], dtype: dtype);
            var mask = zeros([steps, members.Count], dtype: dtype);
            for (var b = 0; b < members.Count; b++)
            {
                var n = members[b].shape[0] - 1;
                inputs[..(int)n, b] = members[b][..(int)n].to(dtype);
                targets[..(int)n, b] = members[b][1..].to(dtype);
                mask[..(int)n, b] = 1;
            }
            batches.Add(new SequenceBatch(inputs.to(device), targets.to(device), mask.to(device)));
        }
        return batches;
    }

    private static IEnumerable<Range> Chunks(long count, int size)
    {
        for (var start = 0; start < count; start += size)
            yield return start..(int)Math.Min(count, start + size);
    }
}
