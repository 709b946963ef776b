using System.Text.Json.Nodes;
using Research.Experiments.Notebooks;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>`research notebook run` on small notebooks written here: outputs, directives, parameters, failures.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notebook-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params NotebookCell[] cells)
    {
        var path = Path.Combine(_dir, name);
        NotebookDocument.CreateCSharp(cells).Save(path);
        return path;
    }

    private NotebookDocument Executed(string name) => NotebookDocument.Load(Path.Combine(_dir, "out", name));

    private static List<JsonObject> OutputsOf(NotebookCell cell) => [.. cell.Json["outputs"]!.AsArray().Cast<JsonObject>()];

    [Fact]
    public void Cells_share_one_state_and_their_prints_displays_and_values_become_outputs()
    {
        var path = Write("outputs.ipynb",
            NotebookCell.Markdown("# outputs"),
            NotebookCell.Code("var answer = 6 * 7;\nConsole.WriteLine($\"answer {answer}\");"),
            NotebookCell.Code("""
                var plot = new ScottPlot.Plot();
                plot.Add.Scatter(new[] { 1.0, 2.0, 3.0 }, new[] { 1.0, 4.0, 9.0 });
                display(plot);
                display(HTML("<b>bold</b>"));
                Console.WriteLine("after the plot");
                """),
            NotebookCell.Code("answer + 1"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "--out", Path.Combine(_dir, "out"));

        Assert.True(code == 0, stdout);
        Assert.Contains("outputs.ipynb: ok, 3 code cells", stdout, StringComparison.Ordinal);
        var executed = Executed("outputs.ipynb");
        Assert.Empty(NbformatShape.Violations(executed.ToJson()));
        var cells = executed.Cells;
        Assert.Equal("stream", OutputsOf(cells[1])[0]["output_type"]!.GetValue<string>());
        Assert.Equal("answer 42\n", string.Concat(OutputsOf(cells[1])[0]["text"]!.AsArray().Select(l => l!.GetValue<string>())));
        var plotOutputs = OutputsOf(cells[2]);
        Assert.Equal(["display_data", "display_data", "stream"], plotOutputs.Select(o => o["output_type"]!.GetValue<string>()));
        var png = Convert.FromBase64String(plotOutputs[0]["data"]!["image/png"]!.GetValue<string>());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.NotNull(plotOutputs[1]["data"]!["text/html"]);
        var result = Assert.Single(OutputsOf(cells[3]));
        Assert.Equal("execute_result", result["output_type"]!.GetValue<string>());
        Assert.Equal(3, result["execution_count"]!.GetValue<int>());
        Assert.Equal([1, 2, 3], cells.Where(c => c.IsCode).Select(c => c.Json["execution_count"]!.GetValue<int>()));
    }

    [Fact]
    public void A_failing_cell_stops_the_run_exits_nonzero_and_is_named()
    {
        var path = Write("failing.ipynb",
            NotebookCell.Markdown("# fails in the third cell"),
            NotebookCell.Code("var x = 1;"),
            NotebookCell.Code("throw new InvalidOperationException(\"injected failure\");"),
            NotebookCell.Code("Console.WriteLine(\"never runs\");"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, code);
        Assert.Contains("failing.ipynb: FAILED: cell 3 (In [2]) failed: InvalidOperationException: injected failure", stdout, StringComparison.Ordinal);
        var executed = Executed("failing.ipynb");
        var error = Assert.Single(OutputsOf(executed.Cells[2]));
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("injected failure", error["evalue"]!.GetValue<string>());
        Assert.Empty(OutputsOf(executed.Cells[3]));
        Assert.Null(executed.Cells[3].Json["execution_count"]);
    }

    [Fact]
    public void A_compile_error_names_the_cell_and_the_compiler_message()
    {
        var path = Write("typo.ipynb", NotebookCell.Code("var ok = 1;"), NotebookCell.Code("var y = undefinedName + 1;"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, code);
        Assert.Contains("cell 2 (In [2]) failed: ", stdout, StringComparison.Ordinal);
        Assert.Contains("CS0103", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_are_injected_after_the_parameters_cell_with_their_types()
    {
        var path = Write("params.ipynb",
            NotebookCell.Code("int steps = 100;\ndouble rate = 0.5;\nstring name = \"default\";\nbool quick = false;", NotebookCell.ParametersTag),
            NotebookCell.Code("Console.WriteLine($\"{steps} {rate} {name} {quick} {steps.GetType().Name} {rate.GetType().Name}\");"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "steps=3", "name=a \"quoted\" value",
            "--param", "rate=2,quick=true", "--out", Path.Combine(_dir, "out"));

        Assert.True(code == 0, stdout);
        var executed = Executed("params.ipynb");
        Assert.Equal([NotebookCell.InjectedParametersTag], executed.Cells[1].Tags);
        var printed = string.Concat(OutputsOf(executed.Cells[2])[0]["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("3 2 a \"quoted\" value True Int32 Double\n", printed);

        // Running the executed copy again replaces its injected cell rather than adding a second one.
        var again = NotebookDocument.Load(Path.Combine(_dir, "out", "params.ipynb"));
        var rerun = new NotebookRunner().Run(again, path, NotebookParameters.Parse(["steps=4"]));
        Assert.True(rerun.Succeeded, rerun.Error);
        Assert.Single(rerun.Executed.Cells, c => c.Tags.Contains(NotebookCell.InjectedParametersTag));
    }

    [Fact]
    public void Directives_of_dotnet_interactive_are_mapped_or_dropped_with_a_warning()
    {
        var buildOutput = Path.GetRelativePath(_dir, Path.Combine(AppContext.BaseDirectory, "research.dll"));
        var path = Write("directives.ipynb",
            NotebookCell.Code($"#!csharp\n#r \"nuget: ScottPlot, 5.1.59\"\n#r \"nuget: TorchSharp-cpu\"\n#r \"{buildOutput}\"\n#!time\nConsole.WriteLine(typeof(Research.Experiments.Notebooks.NotebookRunner).Name);"),
            NotebookCell.Code("#!fsharp\nprintfn \"not C#\"\n#!csharp\nConsole.WriteLine(\"back in C#\");"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "--out", Path.Combine(_dir, "out"));

        Assert.True(code == 0, stdout);
        Assert.Contains("warning: cell 1: #!time: a .NET Interactive magic command, ignored", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: cell 2: #!fsharp: only C# runs headless", stdout, StringComparison.Ordinal);
        var executed = Executed("directives.ipynb");
        Assert.Equal("NotebookRunner\n", string.Concat(OutputsOf(executed.Cells[0])[0]["text"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal("back in C#\n", string.Concat(OutputsOf(executed.Cells[1])[0]["text"]!.AsArray().Select(l => l!.GetValue<string>())));
    }

    [Fact]
    public void A_package_the_project_does_not_have_fails_the_cell_saying_so()
    {
        var path = Write("nuget.ipynb", NotebookCell.Code("#r \"nuget: Newtonsoft.Json, 13.0.3\"\nConsole.WriteLine(1);"));

        var (code, stdout, _) = TinyRuns.InProcess("notebook", "run", path, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, code);
        Assert.Contains("cell 1 (In [1]) failed: CellDirectiveException: #r \"nuget: Newtonsoft.Json, 13.0.3\": Newtonsoft.Json is not one of the project's packages", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_code_2()
    {
        Assert.Equal(2, TinyRuns.InProcess("notebook", "run").code);
        Assert.Equal(2, TinyRuns.InProcess("notebook", "execute", "x.ipynb").code);
        var (code, _, stderr) = TinyRuns.InProcess("notebook", "run", Path.Combine(_dir, "missing.ipynb"));
        Assert.Equal(2, code);
        Assert.Contains("no such notebook", stderr, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "v3.ipynb"), """{"nbformat": 3, "cells": []}""");
        Assert.Contains("expected 4", TinyRuns.InProcess("notebook", "run", Path.Combine(_dir, "v3.ipynb")).stderr, StringComparison.Ordinal);
        Assert.Contains("C# identifier", TinyRuns.InProcess("notebook", "run", Path.Combine(_dir, "v3.ipynb"), "--param", "1x=2").stderr, StringComparison.Ordinal);
    }
}
