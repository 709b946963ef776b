namespace Research.Experiments.Training;

/// <summary>
/// How a run ended: its best validation result, the test metrics of the best checkpoint, the last epoch's training
/// metrics (the epoch mean, as Keras prints it), and its cost. Without held-out splits BestValid and Test are empty.
/// <see cref="GcStressCycles"/> counts the collections the GC-stress thread ran during training (null when it was off).
/// </summary>
public sealed record TrainingOutcome(
    int EpochsRun,
    long Steps,
    int BestEpoch,
    IReadOnlyDictionary<string, double> BestValid,
    IReadOnlyDictionary<string, double> Test,
    IReadOnlyDictionary<string, double> LastTrain,
    double WallSeconds,
    bool StoppedEarly,
    long? GcStressCycles = null);
