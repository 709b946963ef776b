using System.Globalization;

namespace Research.Experiments.Logging;

/// <summary>
/// Progress for redirected output (CI logs, pipes, files): plain lines, at most one per interval during an epoch
/// and one at each epoch end, so a log stays readable and small.
/// </summary>
public sealed class PlainProgressReporter(TextWriter output, TimeSpan interval, TimeProvider? clock = null) : IProgressReporter
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _epoch;
    private long _totalSteps;
    private long _completed;
    private long _epochStart;
    private long _lastLine;

    public void BeginEpoch(int epoch, long totalSteps)
    {
        (_epoch, _totalSteps, _completed) = (epoch, totalSteps, 0);
        _epochStart = _lastLine = _clock.GetTimestamp();
    }

    public void Step(long completedSteps, IReadOnlyDictionary<string, double> metrics)
    {
        _completed = completedSteps;
        var now = _clock.GetTimestamp();
        if (_clock.GetElapsedTime(_lastLine, now) < interval)
            return;
        _lastLine = now;
        var elapsed = _clock.GetElapsedTime(_epochStart, now);
        var eta = completedSteps > 0 && _totalSteps > completedSteps
            ? "  eta " + ProgressText.Duration(elapsed * ((double)(_totalSteps - completedSteps) / completedSteps))
            : "";
        var percent = _totalSteps > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * completedSteps / _totalSteps:0}%)") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {_epoch}  step {completedSteps}/{_totalSteps}{percent}  {ProgressText.Metrics(metrics)}{eta}"));
        output.Flush();
    }

    public void EndEpoch(IReadOnlyDictionary<string, double> summary)
    {
        var elapsed = _clock.GetElapsedTime(_epochStart);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {_epoch} done: {_completed} steps in {ProgressText.Duration(elapsed)}  {ProgressText.Metrics(summary)}"));
        output.Flush();
    }

    public void Dispose() => output.Flush();
}
