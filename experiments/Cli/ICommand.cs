namespace Research.Experiments.Cli;

/// <summary>One verb of the `research` tool.</summary>
public interface ICommand
{
    string Name { get; }

    string Summary { get; }

    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Usage line after the verb, e.g. "[options]" or "RUN [options]".</summary>
    string Usage => "[options]";

    /// <returns>The process exit code: 0 success, 1 a check that failed, 2 bad input.</returns>
    int Run(ParsedArgs args, TextWriter stdout);
}
