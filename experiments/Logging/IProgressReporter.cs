namespace Research.Experiments.Logging;

/// <summary>What a person watching the run sees: per-epoch progress with live metrics, then an epoch summary.</summary>
public interface IProgressReporter : IDisposable
{
    void BeginEpoch(int epoch, long totalSteps);

    /// <param name="completedSteps">Steps done so far in this epoch (1 after the first step).</param>
    /// <param name="metrics">Current values to show, e.g. loss, ppl, tokens/s, lr.</param>
    void Step(long completedSteps, IReadOnlyDictionary<string, double> metrics);

    /// <param name="summary">The epoch's results, e.g. train/loss, valid/perplexity.</param>
    void EndEpoch(IReadOnlyDictionary<string, double> summary);
}
