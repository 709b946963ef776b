using System.CommandLine;

namespace Research.Experiments.Cli;

/// <summary>A command of the `research` tool whose action gets the parse result and both output streams.</summary>
public static class Verb
{
    /// <param name="run">Returns the exit code: 0 success, 1 a check that failed, 2 bad input.</param>
    public static Command Create(string name, string description, Func<ParseResult, CommandContext, int> run, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Add(option);
                    break;
                case Argument argument:
                    command.Add(argument);
                    break;
                default:
                    throw new ArgumentException($"{symbol.Name} is neither an option nor an argument", nameof(symbols));
            }
        }
        command.SetAction(parse => run(parse, CommandContext.Of(parse)));
        return command;
    }

    /// <summary>`research VERB ARGS...` as given (quoted where an argument holds a space), for recording the exact command of a run.</summary>
    public static string CommandLine(ParseResult parse) =>
        string.Join(' ', parse.Tokens.Select(t => t.Value).Prepend("research").Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}
