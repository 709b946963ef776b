namespace Research.Experiments.Logging;

/// <summary>The fields of a TensorBoard Event protobuf this project writes and reads; other fields are skipped.</summary>
/// <param name="SessionStatus">SessionLog.status (1 = START: TensorBoard drops earlier points with step >= this step).</param>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, int? SessionStatus, IReadOnlyList<TensorBoardScalar> Scalars);

/// <summary>One Summary.Value with a simple_value (TensorBoard's scalar: a float32).</summary>
public sealed record TensorBoardScalar(string Tag, float Value);
