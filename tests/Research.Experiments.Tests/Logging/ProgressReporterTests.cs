using Research.Experiments.Logging;
using Spectre.Console;

namespace Research.Experiments.Tests.Logging;

public sealed class ProgressReporterTests
{
    private static readonly Dictionary<string, double> Live = new() { ["loss"] = 4.56789, ["ppl"] = 96.3, ["tokens/s"] = 123456, ["lr"] = 0.001 };

    [Fact]
    public void RedirectedOutputGetsPlainLinesAtMostOnePerIntervalAndOnePerEpoch()
    {
        var output = new StringWriter();
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        using var progress = new PlainProgressReporter(output, TimeSpan.FromSeconds(5), clock);

        progress.BeginEpoch(1, totalSteps: 100);
        for (var step = 1; step <= 100; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(0.2));
            progress.Step(step, Live);
        }

        progress.EndEpoch(new Dictionary<string, double> { ["train/loss"] = 4.5, ["valid/perplexity"] = 90.25 });

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("epoch 1  step 25/100 (25%)  loss 4.5679  ppl 96.3  tokens/s 123,456  lr 1.00e-03  eta 15.0s", lines[0]);
        Assert.StartsWith("epoch 1  step 100/100 (100%)", lines[3], StringComparison.Ordinal);
        Assert.Equal("epoch 1 done: 100 steps in 20.0s  train/loss 4.5  valid/perplexity 90.25", lines[4]);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void ShortEpochsGiveOnlyTheirEndLine()
    {
        var output = new StringWriter();
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        using var progress = new PlainProgressReporter(output, TimeSpan.FromSeconds(5), clock);
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            progress.BeginEpoch(epoch, totalSteps: 10);
            for (var step = 1; step <= 10; step++)
                progress.Step(step, Live);
            progress.EndEpoch(new Dictionary<string, double> { ["train/loss"] = 1.0 / epoch });
        }

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(["epoch 1 done:", "epoch 2 done:", "epoch 3 done:"], lines.Select(l => l[..13]));
    }

    [Fact]
    public void TerminalOutputShowsABarAndTheEpochSummary()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
        using (var progress = new LiveProgressReporter(console))
        {
            progress.BeginEpoch(2, totalSteps: 3);
            for (var step = 1; step <= 3; step++)
                progress.Step(step, Live);
            progress.EndEpoch(new Dictionary<string, double> { ["valid/loss"] = 3.25 });
        }

        var text = output.ToString();
        Assert.Contains("loss 4.5679  ppl 96.3", text, StringComparison.Ordinal);
        Assert.Contains("100%", text, StringComparison.Ordinal);
        Assert.Contains("epoch 2 done  valid/loss 3.25", text, StringComparison.Ordinal);
    }
}
