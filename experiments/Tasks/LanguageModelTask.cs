using Research.Data.Batching;
using Research.Data.Text;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Language;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tasks;

/// <summary>A tokenised corpus ready for a language model: one vocabulary and three id streams.</summary>
public sealed record LanguageCorpus(Vocabulary Vocabulary, TokenSplit Train, TokenSplit Valid, TokenSplit Test, bool CharLevel)
{
    /// <summary>False when valid and test are empty: the corpus is trained whole (train_fraction 1.0).</summary>
    public bool HeldOut => Valid.Length > 0;
}

/// <summary>
/// Word- or character-level language modelling with truncated BPTT: the training stream is batchified into
/// train.batch_size columns and cut into train.bptt windows; the recurrent state is carried from one window to the next
/// (detached) and reset to zero at the start of each epoch (Zaremba et al.). Evaluation carries the state too.
/// </summary>
public sealed class LanguageModelTask : ITrainingTask
{
    private readonly TaskSettings<TextDataSettings, LanguageModelSettings> _settings;
    private readonly Tensor _train;
    private readonly Tensor? _valid;
    private readonly Tensor? _test;
    private readonly bool _charLevel;

    public LanguageModelTask(TaskSettings<TextDataSettings, LanguageModelSettings> settings, LanguageCorpus corpus, Device device, ScalarType dtype)
    {
        _settings = settings;
        _charLevel = corpus.CharLevel;
        Model = new LanguageModel(ModelOptions(settings.Model, corpus.Vocabulary.Count), device, dtype);
        _train = LanguageModelBatches.Batchify(corpus.Train.Ids, settings.Train.BatchSize).to(device);
        HeldOut = corpus.HeldOut;
        _valid = HeldOut ? LanguageModelBatches.Batchify(corpus.Valid.Ids, settings.Train.EvalBatchSize).to(device) : null;
        _test = HeldOut ? LanguageModelBatches.Batchify(corpus.Test.Ids, settings.Train.EvalBatchSize).to(device) : null;
        StepsPerEpoch = (_train.shape[0] - 1 + settings.Train.Bptt - 1) / settings.Train.Bptt;
    }

    public LanguageModel Model { get; }

    public bool HeldOut { get; }

    /// <summary>The model a config describes, for a vocabulary of this size (also used to reload a run's model).</summary>
    public static LanguageModelOptions ModelOptions(LanguageModelSettings m, int vocabularySize) =>
        new(vocabularySize, m.EmbeddingSize, m.HiddenSize, m.Layers, m.Dropout, m.Tied, m.Init, m.InitRange, m.EmbeddingDropout)
        {
            Recurrence = m.Recurrence(),
            Input = m.Input,
            DecoderInBFloat16 = m.DecoderBfloat16,
            ProjectDistinctTokens = m.ProjectDistinctTokens,
        };

    /// <summary>Loss (nats per token), perplexity and, for characters, bits per character, from a mean loss.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(double meanLoss, bool charLevel)
    {
        var metrics = new Dictionary<string, double> { ["loss"] = meanLoss, ["perplexity"] = Math.Exp(meanLoss) };
        if (charLevel)
            metrics["bpc"] = meanLoss / Math.Log(2);
        return metrics;
    }

    nn.Module ITrainingTask.Model => Model;

    public string ItemName => "tokens";

    public long StepsPerEpoch { get; }

    public IEnumerable<TrainingBatch> TrainingBatches(int epoch)
    {
        RecurrentState? state = null;
        foreach (var window in LanguageModelBatches.FixedWindows(_train, _settings.Train.Bptt))
        {
            var previous = state;
            var (logits, next) = Model.call(window.Input, state);
            var mean = SoftmaxCrossEntropy.Loss(logits.view(-1, logits.shape[^1]), window.Target.reshape(-1), fused: _settings.Train.FusedCrossEntropy);
            // The reference code of Zaremba et al. sums the per-step batch means over the unrolled steps.
            var loss = LossScaling.Apply(mean, window.Length, _settings.Train.LossScale);
            state = next.Detach().MoveToOuterDisposeScope();
            yield return new TrainingBatch(loss, mean.ReadDouble(), window.Input.numel());
            // The trainer has run backward by now: the previous state is no longer part of any graph.
            previous?.Dispose();
        }
        state?.Dispose();
    }

    public IReadOnlyDictionary<string, double> Evaluate(string split)
    {
        var data = EvaluationSplit.Pick(split, _train, _valid, _test) ?? throw EvaluationSplit.NotHeldOut(split);
        Model.eval();
        var (sum, count) = (0.0, 0L);
        using (no_grad())
        using (var outer = NewDisposeScope())
        {
            RecurrentState? state = null;
            foreach (var window in LanguageModelBatches.FixedWindows(data, _settings.Train.Bptt))
            {
                using var scope = NewDisposeScope();
                var (logits, next) = Model.call(window.Input, state);
                var total = SoftmaxCrossEntropy.Loss(logits.view(-1, logits.shape[^1]), window.Target.reshape(-1), nn.Reduction.Sum, _settings.Train.FusedCrossEntropy);
                sum += total.ReadDouble();
                count += window.Target.numel();
                state = next.MoveToOuterDisposeScope();
            }
        }
        Model.train();
        return FromLoss(sum / count);
    }

    public IReadOnlyDictionary<string, double> FromLoss(double meanLoss) => Metrics(meanLoss, _charLevel);
}
