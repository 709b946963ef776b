using Research.Data.Batching;
using Research.Data.Text;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Models.Language;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Tasks;

/// <summary>The Keras-style windows task: each window predicts the token after it, from its last step only.</summary>
public sealed class LanguageModelWindowsTaskTests
{
    private static (LanguageModelWindowsTask Task, CharCorpus Corpus) Build()
    {
        manual_seed(7);
        var corpus = CharCorpus.FromText("To be, or not to be, that is the question: whether 'tis nobler in the mind", trainFraction: 0.6, validFraction: 0.2, lowerCase: true);
        var settings = new ExperimentSettings
        {
            Task = TaskKind.LanguageModel,
            Data = new TextDataSettings { Name = "text", Windows = { Length = 4, Step = 2 } },
            Model = new LanguageModelSettings { Input = LanguageModelInput.OneHot, HiddenSize = 5, Layers = 1 },
            Train = { BatchSize = 3, EvalBatchSize = 2 },
        };
        var task = new LanguageModelWindowsTask(settings.For<TextDataSettings, LanguageModelSettings>(), new LanguageCorpus(corpus.Vocabulary, corpus.Train, corpus.Valid, corpus.Test, CharLevel: true), CPU, ScalarType.Float64);
        return (task, corpus);
    }

    [Fact]
    public void AnEpochCoversEveryTrainingWindowOnceInASeededOrder()
    {
        var (task, corpus) = Build();
        var windows = new TextWindows(corpus.Train.Ids, 4, 2, corpus.Vocabulary.Count);
        Assert.Equal((windows.Count + 2) / 3, task.StepsPerEpoch);
        var first = task.TrainingBatches(1).Select(b => (b.MeanLoss, b.Items)).ToList();
        Assert.Equal(task.StepsPerEpoch, first.Count);
        Assert.Equal(windows.Count, first.Sum(b => b.Items));
        // Without a step in between, the same epoch gives the same batches; another epoch another order.
        Assert.Equal(first, task.TrainingBatches(1).Select(b => (b.MeanLoss, b.Items)).ToList());
        Assert.NotEqual(first, task.TrainingBatches(2).Select(b => (b.MeanLoss, b.Items)).ToList());
    }

    [Fact]
    public void TheLossIsTheCrossEntropyOfTheTokenAfterEachWindowFromTheLastStep()
    {
        var (task, corpus) = Build();
        var windows = new TextWindows(corpus.Valid.Ids, 4, 2, corpus.Vocabulary.Count);
        var metrics = task.Evaluate("valid");

        task.Model.eval();
        using var noGrad = no_grad();
        var (logits, _) = task.Model.call(windows.Inputs.t(), null);        // [4, count, V]
        var expected = nn.functional.cross_entropy(logits[-1], windows.Targets).ReadDouble();
        Assert.Equal(expected, metrics["loss"], 1e-12);
        Assert.Equal(expected / Math.Log(2), metrics["bpc"], 1e-12);
        // Not the mean over every step: the earlier steps' predictions do not count.
        var allSteps = nn.functional.cross_entropy(logits[..^1].reshape(-1, logits.shape[^1]), windows.Inputs.t()[1..].reshape(-1)).ReadDouble();
        Assert.NotEqual(allSteps, metrics["loss"], 6);
    }
}
