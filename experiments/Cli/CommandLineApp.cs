using Research.Experiments.Config;

namespace Research.Experiments.Cli;

/// <summary>Dispatches `research VERB [options]`, prints help, and maps bad input to one line and exit code 2.</summary>
public static class CommandLineApp
{
    public static int Run(IReadOnlyList<ICommand> commands, string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.Write(Help(commands));
            return args.Length == 0 ? UsageException.ExitCode : 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            stderr.WriteLine($"research: error: unknown command '{args[0]}'{DidYouMean.Suggest(args[0], commands.Select(c => c.Name))}; see research --help");
            return UsageException.ExitCode;
        }
        try
        {
            var parsed = ParsedArgs.Parse(command.Options, args[1..]);
            if (parsed.HelpRequested)
            {
                stdout.Write(CommandHelp(command));
                return 0;
            }
            return command.Run(parsed, stdout);
        }
        catch (Exception e) when (e is UsageException or Research.Data.DataException)
        {
            stderr.WriteLine($"research {command.Name}: error: {e.Message}");
            return UsageException.ExitCode;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"research {command.Name}: error: {e.Message}");
            return ConfigException.ExitCode;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("TorchSharp could not start", StringComparison.Ordinal))
        {
            stderr.WriteLine($"research {command.Name}: error: {e.Message}");
            return 1;
        }
        catch (InvalidDataException e)
        {
            // A file this build cannot read (a checkpoint of another format, an optimizer state that does not fit):
            // the message names the file and the difference.
            stderr.WriteLine($"research {command.Name}: error: {e.Message}");
            return 1;
        }
    }

    public static string Help(IReadOnlyList<ICommand> commands)
    {
        var width = commands.Max(c => c.Name.Length);
        var lines = commands.Select(c => $"  {c.Name.PadRight(width)}  {c.Summary}");
        return "usage: research COMMAND [options]   (research COMMAND --help for its options)\n\ncommands:\n"
            + string.Join("\n", lines) + "\n";
    }

    public static string CommandHelp(ICommand command)
    {
        var specs = command.Options.Select(o => (name: o.IsFlag ? $"--{o.Name}" : $"--{o.Name} VALUE", o)).ToList();
        var width = specs.Count == 0 ? 0 : specs.Max(s => s.name.Length);
        var lines = specs.Select(s => $"  {s.name.PadRight(width)}  {s.o.Help}{(s.o.Default is null ? "" : $" (default {s.o.Default})")}");
        return $"usage: research {command.Name} {command.Usage}\n{command.Summary}\n\noptions:\n" + string.Join("\n", lines) + "\n";
    }
}
