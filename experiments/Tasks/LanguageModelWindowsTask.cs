using Research.Data.Batching;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Language;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tasks;

/// <summary>
/// Language modelling as Keras lstm_text_generation trains it: every data.windows.step tokens a window of
/// data.windows.length tokens is read from a zero state and only the token after it is predicted (cross-entropy of the
/// last step's logits). Training windows are shuffled each epoch (Keras fit's shuffle); validation and test use the
/// windows of their own streams, in order. One item is one predicted token, so the losses are per token as usual.
/// </summary>
public sealed class LanguageModelWindowsTask : ITrainingTask
{
    private readonly TaskSettings<TextDataSettings, LanguageModelSettings> _settings;
    private readonly Device _device;
    private readonly TextWindows _train;
    private readonly TextWindows? _valid;
    private readonly TextWindows? _test;
    private readonly bool _charLevel;

    public LanguageModelWindowsTask(TaskSettings<TextDataSettings, LanguageModelSettings> settings, LanguageCorpus corpus, Device device, ScalarType dtype)
    {
        _settings = settings;
        _device = device;
        _charLevel = corpus.CharLevel;
        var (length, step, symbols) = (settings.Data.Windows.Length, settings.Data.Windows.Step, corpus.Vocabulary.Count);
        _train = Windows(corpus.Train.Ids, "train");
        HeldOut = corpus.HeldOut;
        _valid = HeldOut ? Windows(corpus.Valid.Ids, "valid") : null;
        _test = HeldOut ? Windows(corpus.Test.Ids, "test") : null;
        Model = new LanguageModel(LanguageModelTask.ModelOptions(settings.Model, symbols), device, dtype);
        StepsPerEpoch = (_train.Count + settings.Train.BatchSize - 1) / settings.Train.BatchSize;

        TextWindows Windows(int[] ids, string split) => ids.Length > length
            ? new TextWindows(ids, length, step, symbols)
            : throw new Research.Data.DataException($"the {split} split has {ids.Length} tokens: too few for one window of data.windows.length {length} plus its target");
    }

    public LanguageModel Model { get; }

    public bool HeldOut { get; }

    nn.Module ITrainingTask.Model => Model;

    public string ItemName => "windows";

    public long StepsPerEpoch { get; }

    public IEnumerable<TrainingBatch> TrainingBatches(int epoch)
    {
        // Fixed by (seed, epoch), so a resumed run sees the same order.
        foreach (var (x, y) in _train.IndexBatches(_settings.Train.BatchSize, EpochSeed.Of(_settings.Seed, epoch)))
        {
            var loss = LastStepLoss(x, y, nn.Reduction.Mean);
            yield return new TrainingBatch(loss, loss.ReadDouble(), y.shape[0]);
        }
    }

    public IReadOnlyDictionary<string, double> Evaluate(string split)
    {
        var windows = EvaluationSplit.Pick(split, _train, _valid, _test) ?? throw EvaluationSplit.NotHeldOut(split);
        Model.eval();
        var (sum, count) = (0.0, 0L);
        using (no_grad())
        {
            foreach (var (x, y) in windows.IndexBatches(_settings.Train.EvalBatchSize))
            {
                using var scope = NewDisposeScope();
                sum += LastStepLoss(x, y, nn.Reduction.Sum).ReadDouble();
                count += y.shape[0];
            }
        }
        Model.train();
        return FromLoss(sum / count);
    }

    public IReadOnlyDictionary<string, double> FromLoss(double meanLoss) => LanguageModelTask.Metrics(meanLoss, _charLevel);

    /// <summary>Cross-entropy of the token after each window, from the last step's logits (Keras' Dense on the last h).</summary>
    private Tensor LastStepLoss(Tensor windows, Tensor next, nn.Reduction reduction)
    {
        var (logits, _) = Model.call(windows.to(_device).t(), null);             // [T, B, V] time-major
        return SoftmaxCrossEntropy.Loss(logits[-1], next.to(_device), reduction, _settings.Train.FusedCrossEntropy);
    }
}
