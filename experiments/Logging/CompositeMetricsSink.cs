namespace Research.Experiments.Logging;

/// <summary>Fans every record out to several sinks; a run writes CSV, JSONL and TensorBoard through one of these.</summary>
public sealed class CompositeMetricsSink(IEnumerable<IMetricsSink> sinks) : IMetricsSink
{
    private readonly IMetricsSink[] _sinks = [.. sinks];

    public CompositeMetricsSink(params IMetricsSink[] sinks)
        : this((IEnumerable<IMetricsSink>)sinks)
    {
    }

    public IReadOnlyList<IMetricsSink> Sinks => _sinks;

    public void Write(MetricRecord record)
    {
        foreach (var sink in _sinks)
            sink.Write(record);
    }

    public void Flush()
    {
        foreach (var sink in _sinks)
            sink.Flush();
    }

    // Disposes every sink even when one throws, so the others still flush their buffers.
    public void Dispose()
    {
        var errors = new List<Exception>();
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
            throw new AggregateException("some metrics sinks failed to close", errors);
    }
}
