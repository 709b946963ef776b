namespace Research.Experiments.Training;

/// <summary>A NaN or infinite loss or gradient: the run stops, its last good checkpoint stays as it was.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
