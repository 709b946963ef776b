using System.CommandLine;
using System.CommandLine.Parsing;
using Research.Experiments.Config;

namespace Research.Experiments.Cli;

/// <summary>
/// `research VERB [options]` on System.CommandLine: each verb owns its options, help and completions; a parse error or
/// bad input is one line `research VERB: error: ...` on stderr and exit code 2, never the library's usage dump.
/// </summary>
public static class CommandLineApp
{
    public static int Run(IReadOnlyList<Command> commands, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("research: recurrent sequence models, from config to results (research COMMAND --help for its options)");
        foreach (var command in commands)
            root.Add(command);
        // Overrides and paths are taken as written: no @response files.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var verb = VerbOf(parse.CommandResult);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"research{(verb is null ? "" : " " + verb)}: error: {Describe(parse)}");
            return UsageException.ExitCode;
        }
        try
        {
            var code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            return args.Length == 0 ? UsageException.ExitCode : code;
        }
        catch (Exception e) when (ExitCodeOf(e) is { } exitCode)
        {
            stderr.WriteLine($"research {verb}: error: {e.Message}");
            return exitCode;
        }
    }

    /// <summary>Bad input is 2 (a config error its own code); TorchSharp that cannot start, or a file this build cannot read
    /// (a checkpoint of another format, an optimizer state that does not fit), is 1; anything else is a bug and not caught.</summary>
    private static int? ExitCodeOf(Exception e) => e switch
    {
        UsageException or Research.Data.DataException => UsageException.ExitCode,
        ConfigException => ConfigException.ExitCode,
        InvalidOperationException when e.Message.StartsWith("TorchSharp could not start", StringComparison.Ordinal) => 1,
        InvalidDataException => 1,
        _ => null,
    };

    /// <summary>The first word after `research` (`bench` for `research bench lstm`), null for the tool itself.</summary>
    private static string? VerbOf(CommandResult result)
    {
        while (result.Parent is CommandResult parent && parent.Parent is CommandResult)
            result = parent;
        return result.Parent is CommandResult ? result.Command.Name : null;
    }

    /// <summary>The first parse error in the project's words; a typo gets the nearest name the command knows.</summary>
    private static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
                return $"unknown option {token}{DidYouMean.Suggest(token.TrimStart('-'), command.Options.Select(o => o.Name.TrimStart('-')), "--")}";
            if (command.Subcommands.Count > 0)
                return $"unknown command '{token}'{DidYouMean.Suggest(token, command.Subcommands.Select(c => c.Name))}"
                    + (command is RootCommand ? "; see research --help" : "");
            return $"unexpected argument '{token}'";
        }
        var error = parse.Errors[0];
        return error.SymbolResult switch
        {
            OptionResult { Tokens.Count: 0 } o => $"{o.Option.Name} needs a value",
            ArgumentResult { Tokens.Count: 0, Parent: CommandResult } a => $"{a.Argument.Name} is missing",
            CommandResult c when c.Command.Subcommands.Count > 0 && c.Command.Action is null =>
                $"say which: {string.Join(", ", c.Command.Subcommands.Select(s => s.Name))}",
            _ => error.Message,
        };
    }
}
