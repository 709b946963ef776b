namespace Research.Experiments.Logging;

/// <summary>Where metric records go (a file format, TensorBoard, several at once); Flush is called at each epoch end.</summary>
public interface IMetricsSink : IDisposable
{
    void Write(MetricRecord record);

    void Flush();
}
