using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Training;

/// <summary>One training batch after the forward pass: the loss to backpropagate and what it covered.</summary>
/// <param name="Loss">Scalar loss, scaled as configured (mean, or sum over unrolled steps).</param>
/// <param name="MeanLoss">The per-item mean loss of the batch, for logging whatever the scaling.</param>
/// <param name="Items">Tokens, elements or sequences in the batch (for throughput).</param>
public sealed record TrainingBatch(Tensor Loss, double MeanLoss, long Items);

/// <summary>
/// What differs between experiments; the <see cref="Trainer"/> owns everything else (the loop, optimizer, clipping,
/// schedule, checkpoints, logging). A task runs the forward pass and computes losses and metrics.
/// </summary>
public interface ITrainingTask
{
    nn.Module Model { get; }

    /// <summary>What one item is ("tokens", "sequences"...), for the throughput metric's name.</summary>
    string ItemName { get; }

    /// <summary>Optimizer steps in one epoch (for progress and ETA).</summary>
    long StepsPerEpoch { get; }

    /// <summary>The batches of one epoch, in order; each is produced by running the forward pass when enumerated.</summary>
    IEnumerable<TrainingBatch> TrainingBatches(int epoch);

    /// <summary>
    /// Whether the data has valid and test splits. Without them (a corpus trained whole, train_fraction 1.0, as Keras's
    /// text-generation example does) the trainer monitors the epoch's training loss and tests nothing.
    /// </summary>
    bool HeldOut => true;

    /// <summary>Metrics of a split with the model in eval mode; must include "loss" (lower is better).</summary>
    IReadOnlyDictionary<string, double> Evaluate(string split);

    /// <summary>Metrics derived from a mean loss (e.g. perplexity = e^loss, bits per character = loss / ln 2).</summary>
    IReadOnlyDictionary<string, double> FromLoss(double meanLoss);
}
