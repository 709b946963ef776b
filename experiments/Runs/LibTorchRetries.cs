namespace Research.Experiments.Runs;

/// <summary>
/// Whether a run goes back to its last checkpoint after a libtorch error: up to <paramref name="max"/> times from the
/// same checkpoint, counting afresh once the checkpoint has advanced. A long run survives sporadic errors (TorchSharp's
/// finalised implicit Scalars); one that fails again and again from the same place stops.
/// </summary>
public sealed class LibTorchRetries(int max)
{
    private int epoch = -1;

    /// <summary>Retries made from the current checkpoint.</summary>
    public int Count { get; private set; }

    public int Max => max;

    /// <summary>Counts a retry from the checkpoint of <paramref name="checkpointEpoch"/>; false when none is left.</summary>
    public bool TryRetry(int checkpointEpoch)
    {
        if (checkpointEpoch != epoch)
            (Count, epoch) = (0, checkpointEpoch);
        if (Count >= max)
            return false;
        Count++;
        return true;
    }
}
