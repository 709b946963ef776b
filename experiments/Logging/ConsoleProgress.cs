using Spectre.Console;

namespace Research.Experiments.Logging;

/// <summary>Picks the progress reporter: a live bar when <c>output</c> is a terminal, plain lines to it otherwise.</summary>
public static class ConsoleProgress
{
    public static readonly TimeSpan DefaultPlainInterval = TimeSpan.FromSeconds(5);

    public static IProgressReporter Create(TextWriter output, TimeSpan? plainInterval = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        return console.Profile.Out.IsTerminal && console.Profile.Capabilities is { Interactive: true, Ansi: true }
            ? new LiveProgressReporter(console)
            : new PlainProgressReporter(output, plainInterval ?? DefaultPlainInterval);
    }
}
