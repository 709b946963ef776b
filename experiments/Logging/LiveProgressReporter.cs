using Spectre.Console;

namespace Research.Experiments.Logging;

/// <summary>Progress for a terminal: a Spectre.Console bar per epoch with ETA and live metrics, then a summary line.</summary>
public sealed class LiveProgressReporter(IAnsiConsole console) : IProgressReporter
{
    private readonly MetricsColumn _metrics = new();
    private TaskCompletionSource? _epochDone;
    private Task? _rendering;
    private ProgressTask? _bar;
    private int _epoch;

    public void BeginEpoch(int epoch, long totalSteps)
    {
        StopBar();
        _epoch = epoch;
        _metrics.Text = "";
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Spectre's progress owns a callback; we keep it open on a background task until EndEpoch so the runner can push.
        _rendering = Task.Run(() => console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 }, new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn(), _metrics)
            .StartAsync(async context =>
            {
                started.SetResult(context.AddTask(Markup.Escape($"epoch {epoch}"), maxValue: Math.Max(1, totalSteps)));
                await done.Task.ConfigureAwait(false);
            }));
        _epochDone = done;
        // If Spectre refuses to start (another live display is running), surface its error instead of waiting forever.
        if (Task.WaitAny(started.Task, _rendering) == 1)
            _rendering.GetAwaiter().GetResult();
        _bar = started.Task.GetAwaiter().GetResult();
    }

    public void Step(long completedSteps, IReadOnlyDictionary<string, double> metrics)
    {
        if (_bar is null)
            return;
        _bar.Value = completedSteps;
        _metrics.Text = ProgressText.Metrics(metrics);
    }

    public void EndEpoch(IReadOnlyDictionary<string, double> summary)
    {
        if (_bar is not null)
            _bar.Value = _bar.MaxValue;
        StopBar();
        console.WriteLine($"epoch {_epoch} done  {ProgressText.Metrics(summary)}");
    }

    public void Dispose() => StopBar();

    private void StopBar()
    {
        _epochDone?.TrySetResult();
        _rendering?.GetAwaiter().GetResult();
        (_epochDone, _rendering, _bar) = (null, null, null);
    }
}
