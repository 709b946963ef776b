namespace Research.Experiments.Logging;

/// <summary>One scalar of one split at one step: a row of metrics.csv, a line of metrics.jsonl, a TensorBoard point.</summary>
/// <param name="WallTime">Seconds since the Unix epoch, as TensorBoard's wall_time.</param>
public sealed record MetricRecord(double WallTime, long Step, int Epoch, string Split, string Name, double Value)
{
    /// <summary>The current time in TensorBoard's unit (seconds since the Unix epoch, fractional).</summary>
    public static double Now(TimeProvider? clock = null) =>
        (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>"split/name", the tag TensorBoard groups by (e.g. train/loss, valid/perplexity).</summary>
    public string Tag => $"{Split}/{Name}";
}
