namespace Research.Experiments.Checkpoints;

/// <summary>
/// The training position a checkpoint restores: the run resumes at epoch <see cref="Epoch"/> + 1 with the same learning
/// rate, schedule memory, best metric and random state, so its metrics equal an uninterrupted run's.
/// <see cref="TrainingSeconds"/> is the wall time of the training up to this checkpoint, so a resumed run's total counts
/// every kept epoch (0 in checkpoints written before it existed).
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
    DateTime SavedUtc,
    double TrainingSeconds = 0);
