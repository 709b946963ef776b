namespace Research.Experiments.Checkpoints;

/// <summary>
/// The training position a checkpoint restores: the run resumes at epoch <see cref="Epoch"/> + 1 with the same learning
/// rate, schedule memory, best metric and random state, so its metrics equal an uninterrupted run's.
/// </summary>
public sealed record CheckpointMeta(
    int Epoch,
    long Step,
    double BestMetric,
    int BestEpoch,
    int EpochsWithoutImprovement,
    double LearningRate,
    double ScheduleBestLoss,
    string ResolvedConfig,
    DateTime SavedUtc);
