namespace Research.Experiments.Runs;

/// <summary>One return to the last checkpoint after a libtorch error: from which epoch's checkpoint, and the error.</summary>
public sealed record LibTorchRetry(int FromEpoch, string Error);

/// <summary>
/// Whether a run goes back to its last checkpoint after a libtorch error: up to <paramref name="max"/> times from the
/// same checkpoint, counting afresh once the checkpoint has advanced. A backstop, not a fix: the project hands libtorch
/// no Scalar the GC can free (tests/…/Safety), so a retry means something new went wrong, and every one is recorded in
/// summary.json and shown beside the result in docs/results.md.
/// </summary>
public sealed class LibTorchRetries(int max)
{
    private readonly List<LibTorchRetry> history = [];
    private int epoch = -1;

    /// <summary>Retries made from the current checkpoint.</summary>
    public int Count { get; private set; }

    public int Max => max;

    /// <summary>Every retry of the run, in order.</summary>
    public IReadOnlyList<LibTorchRetry> History => history;

    /// <summary>Counts a retry from the checkpoint of <paramref name="checkpointEpoch"/>; false when none is left.</summary>
    public bool TryRetry(int checkpointEpoch, string error)
    {
        if (checkpointEpoch != epoch)
            (Count, epoch) = (0, checkpointEpoch);
        if (Count >= max)
            return false;
        Count++;
        history.Add(new LibTorchRetry(checkpointEpoch, error));
        return true;
    }
}
