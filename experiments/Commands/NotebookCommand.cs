using System.Globalization;
using Research.Experiments.Cli;
using Research.Experiments.Notebooks;

namespace Research.Experiments.Commands;

/// <summary>
/// `research notebook run FILE... [key=value ...] [--param key=value,...] [--out DIR]`: executes .NET Interactive
/// notebooks headless (the Polyglot tooling is gone) and writes executed copies with their outputs. Exit 1 when a cell
/// of any notebook fails, naming the notebook and the cell.
/// </summary>
public sealed class NotebookCommand : ICommand
{
    public const string DefaultOut = "runs/notebooks";

    public string Name => "notebook";

    public string Summary => "run .NET Interactive notebooks headless and write executed copies with outputs";

    public string Usage => "run FILE.ipynb... [key=value ...] [options]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("param", "parameters for the cell tagged 'parameters', key=value, several separated by commas (or give key=value after the files)"),
        new("out", "folder for the executed copies (same file names)", DefaultOut),
        OptionSpec.Flag("echo", "also print the cells' output while they run"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        if (args.Positional.Count == 0 || args.Positional[0] != "run")
            throw new UsageException("usage: research notebook run FILE.ipynb... [key=value ...] [--param key=value] [--out DIR]");
        var rest = args.Positional.Skip(1).ToList();
        var files = rest.Where(a => !IsParameter(a)).ToList();
        if (files.Count == 0)
            throw new UsageException("give at least one notebook (.ipynb)");
        var pairs = rest.Where(IsParameter).ToList();
        if (args.OptionalString("param") is { } param)
            pairs.AddRange(param.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        IReadOnlyList<KeyValuePair<string, string>> parameters;
        try
        {
            parameters = NotebookParameters.Parse(pairs);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var notebooks = files.Select(Load).ToList();
        var outDir = args.String("out");
        if (files.Select(f => Path.GetFileName(f)).Distinct(StringComparer.Ordinal).Count() != files.Count)
            throw new UsageException("two notebooks have the same file name; their executed copies would overwrite each other");

        var runner = new NotebookRunner();
        var failed = 0;
        for (var n = 0; n < files.Count; n++)
        {
            var result = runner.Run(notebooks[n], files[n], parameters, args.Flag("echo") ? stdout : null);
            var copy = Path.Combine(outDir, Path.GetFileName(files[n]));
            result.Executed.Save(copy);
            foreach (var warning in result.Warnings)
                stdout.WriteLine($"{files[n]}: warning: {warning}");
            var seconds = result.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            if (result.Succeeded)
                stdout.WriteLine($"{files[n]}: ok, {result.CellsRun} code cells in {seconds} s -> {copy}");
            else
            {
                failed++;
                stdout.WriteLine($"{files[n]}: FAILED: {result.Error}");
                stdout.WriteLine($"  executed copy up to the failing cell: {copy}");
            }
        }
        if (failed > 0)
            stdout.WriteLine($"{failed} of {files.Count} notebooks failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>key=value after the files, like `research train`'s overrides; a notebook path never has '=' before ".ipynb".</summary>
    private static bool IsParameter(string arg) =>
        arg.Contains('=', StringComparison.Ordinal) && !arg.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);

    private static NotebookDocument Load(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"no such notebook: {path}");
        try
        {
            return NotebookDocument.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
