using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Research.Experiments.Notebooks;

/// <summary>
/// Executes the C# cells of a .NET Interactive notebook in order, in one Roslyn script state (the engine of .NET
/// Interactive's C# kernel), with the project's assemblies referenced. Each cell's printed text, displayed values and
/// last expression become its nbformat outputs; the first failing cell stops the run with its error as output.
/// </summary>
public sealed class NotebookRunner
{
    /// <summary>The namespaces .NET Interactive's C# kernel imports for every cell.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.IO", "System.Linq", "System.Text", "System.Collections.Generic", "System.Threading.Tasks"];

    private readonly IReadOnlyList<Assembly> _references;
    private readonly IReadOnlySet<string> _referenceFiles;

    public NotebookRunner()
    {
        _references =
        [
            typeof(NotebookRunner).Assembly,                            // research (experiments)
            typeof(Research.Models.Recurrent.LstmCell).Assembly,        // Research.Models
            typeof(Research.Data.DataException).Assembly,               // Research.Data
            typeof(TorchSharp.torch).Assembly,
            typeof(ScottPlot.Plot).Assembly,
            typeof(Microsoft.Data.Analysis.DataFrame).Assembly,
            typeof(YamlDotNet.Serialization.Deserializer).Assembly,
            typeof(Spectre.Console.AnsiConsole).Assembly,
        ];
        _referenceFiles = _references.Select(a => Path.GetFileName(a.Location)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <param name="echo">Where to mirror the cells' printed text while they run (a terminal), or null.</param>
    public NotebookRunResult Run(NotebookDocument notebook, string notebookPath, IReadOnlyList<KeyValuePair<string, string>> parameters, TextWriter? echo = null)
    {
        var clock = Stopwatch.StartNew();
        var executed = notebook.Clone();
        foreach (var cell in executed.Cells.Where(c => c.IsCode))
            cell.ClearOutputs();
        var warnings = new List<string>();
        var injectedAt = NotebookParameters.Inject(executed, parameters, warnings);

        var fullPath = Path.GetFullPath(notebookPath);
        var options = ScriptOptions.Default
            .WithReferences(_references)
            .WithImports(DefaultImports)
            .WithFilePath(fullPath)
            .WithOptimizationLevel(OptimizationLevel.Release);
        var baseDirectory = Path.GetDirectoryName(fullPath) ?? ".";
        var globals = new NotebookGlobals();
        ScriptState<object>? state = null;
        var executionCount = 0;

        for (var k = 0; k < executed.Cells.Count; k++)
        {
            var cell = executed.Cells[k];
            if (!cell.IsCode)
                continue;
            var label = CellLabel(k, injectedAt);
            if (!IsCSharp(cell.Language))
            {
                warnings.Add($"{label}: a {cell.Language} cell; only C# runs headless, skipped");
                continue;
            }
            executionCount++;
            var outputs = new List<DisplayOutput>();
            string? error = null;
            using (var capture = new CellOutputCapture(echo))
            {
                globals.Capture = capture;
                try
                {
                    var prepared = CellDirectives.Prepare(cell.Source, _referenceFiles, baseDirectory);
                    warnings.AddRange(prepared.Warnings.Select(w => $"{label}: {w}"));
                    state = state is null
                        ? CSharpScript.RunAsync(prepared.Code, options, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                        : state.ContinueWithAsync(prepared.Code, options).GetAwaiter().GetResult();
                    if (state.ReturnValue is { } value)
                        capture.Add(new ExecuteResultOutput(executionCount, DisplayValue.Format(value)));
                }
                catch (CompilationErrorException e)
                {
                    var diagnostics = e.Diagnostics.Select(d => d.ToString()).ToList();
                    capture.Add(new ErrorOutput("CompilationError", diagnostics.FirstOrDefault() ?? e.Message, diagnostics));
                    error = string.Join("; ", diagnostics);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    var thrown = e is AggregateException { InnerException: { } inner } ? inner : e;
                    capture.Add(new ErrorOutput(thrown.GetType().Name, thrown.Message, Traceback(thrown)));
                    error = $"{thrown.GetType().Name}: {thrown.Message}";
                }
                finally
                {
                    globals.Capture = null;
                }
                outputs.AddRange(capture.Outputs());
            }
            cell.SetOutputs(executionCount, outputs);
            if (error is not null)
                return new NotebookRunResult(executed, executionCount, OriginalPosition(k, injectedAt), $"{label} (In [{executionCount}]) failed: {error}", warnings, clock.Elapsed);
        }
        return new NotebookRunResult(executed, executionCount, null, null, warnings, clock.Elapsed);
    }

    private static bool IsCSharp(string language) => language is "csharp" or "C#" or "c#";

    /// <summary>1-based position in the notebook as written; the injected parameters cell has none.</summary>
    private static int? OriginalPosition(int index, int injectedAt) =>
        injectedAt < 0 || index < injectedAt ? index + 1 : index == injectedAt ? null : index;

    private static string CellLabel(int index, int injectedAt) =>
        OriginalPosition(index, injectedAt) is { } position ? $"cell {position}" : "the injected parameters cell";

    private static List<string> Traceback(Exception e) =>
        [$"{e.GetType().FullName}: {e.Message}", .. (e.StackTrace ?? "").Split('\n').Select(l => l.TrimEnd('\r'))];
}
