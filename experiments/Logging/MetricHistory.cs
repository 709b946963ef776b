namespace Research.Experiments.Logging;

/// <summary>Keeps every record in memory: the learning curves of a run made in a notebook, without files.</summary>
public sealed class MetricHistory : IMetricsSink
{
    private readonly List<MetricRecord> _records = [];

    public IReadOnlyList<MetricRecord> Records => _records;

    public void Write(MetricRecord record) => _records.Add(record);

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
