using System.Runtime.CompilerServices;
using Research.Experiments.Reporting;
using ScottPlot;

namespace Research.Experiments.Notebooks;

/// <summary>
/// The notebooks' walkthroughs as .NET 10 file-based apps (notebooks/apps/NAME.cs, `dotnet run`), for a console
/// instead of a kernel: <see cref="Start"/> stands for the `#load "research.csx"` cell and <see cref="display"/> for
/// the kernel's display(): a plot becomes a PNG file under runs/apps/NAME/, anything else is printed.
/// </summary>
public static class FileApp
{
    private static string? _figures;
    private static int _figureCount;

    /// <summary>The folder this app's figures go to: runs/apps/NAME under the repository.</summary>
    public static string Figures => _figures ?? throw new InvalidOperationException("call FileApp.Start first");

    /// <summary>
    /// What notebooks/research.csx does for a notebook, less the kernel's formatters; figures go to runs/apps/<paramref name="name"/>.
    /// The repository is the one holding the app's source file (the compiler fills in <paramref name="source"/>): a
    /// file-based app is built outside it. The app passes its console's writers (<c>() =&gt; Console.Out</c>).
    /// </summary>
    public static void Start(string name, Func<TextWriter> output, Func<TextWriter> error, [CallerFilePath] string source = "")
    {
        Notebook.UseRepositoryAbove(Path.GetDirectoryName(source) is { Length: > 0 } folder ? folder : Directory.GetCurrentDirectory());
        Notebook.StartSession(output, error);
        _figures = Path.Combine(Notebook.RepositoryRoot, "runs", "apps", name);
        Directory.CreateDirectory(_figures);
        _figureCount = 0;
    }

    /// <summary>Shows <paramref name="value"/> on the app's output: a plot as a PNG file (its path printed), a table as Markdown.</summary>
    public static void display(object? value)
    {
        switch (value)
        {
            case Plot plot:
                var path = Path.Combine(Figures, $"figure-{++_figureCount}.png");
                File.WriteAllBytes(path, NotebookFormatters.Png(plot));
                Notebook.Output.Out.WriteLine($"[figure {_figureCount}: {Notebook.Shown(path)}]");
                break;
            case MarkdownTable table:
                Notebook.Output.Out.Write(table);
                break;
            default:
                Notebook.Output.Out.WriteLine(value?.ToString() ?? "<null>");
                break;
        }
    }
}
