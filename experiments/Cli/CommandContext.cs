using System.CommandLine;

namespace Research.Experiments.Cli;

/// <summary>Where a command writes: its results to <see cref="Out"/>, progress, warnings and retries to <see cref="Error"/>.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error)
{
    /// <summary>The writers the invocation was given (Console's in Program.Main, StringWriters in tests).</summary>
    public static CommandContext Of(ParseResult parse) => new(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
}
