using Spectre.Console;

namespace Research.Experiments.Logging;

/// <summary>Picks the console reporter: a live bar on a terminal, plain lines to <c>output</c> when stdout is redirected.</summary>
public static class ConsoleProgress
{
    public static readonly TimeSpan DefaultPlainInterval = TimeSpan.FromSeconds(5);

    public static IProgressReporter Create(TextWriter output, TimeSpan? plainInterval = null) =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities is { Interactive: true, Ansi: true }
            ? new LiveProgressReporter(AnsiConsole.Console)
            : new PlainProgressReporter(output, plainInterval ?? DefaultPlainInterval);
}
