using System.Text.Json.Nodes;
using Research.Experiments.Notebooks;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ executes with small budgets (its parameters cell overridden) and no cell fails; the
/// executed copies carry the plots as PNG and the printed tables. A notebook that no longer runs fails here.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookExecutionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notebook-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Per notebook: the parameters that shrink it to seconds, and text its executed copy must show.</summary>
    public static TheoryData<string, string[], string> Budgets() => new()
    {
        { "01-lstm-gate-by-gate.ipynb", ["steps=12"], "parity holds" },
        { "02-char-language-model.ipynb", ["maxSteps=3", "hiddenSize=16", "bptt=16", "batchSize=8", "sampleLength=30"], "temperature 0.5" },
        { "03-forecasting.ipynb", ["airlineEpochs=2", "ettSteps=3"], "seasonal naive" },
        { "04-compare-runs.ipynb", ["fallbackEpochs=1"], "| experiment" },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Each_notebook_runs_without_a_failing_cell(string name, string[] parameters, string expectedText)
    {
        var notebook = Path.Combine(TinyRuns.RepositoryRoot, "notebooks", name);
        var runs = Path.Combine(_dir, "runs");
        // Runs go to this test's folder wherever the notebook trains (its parameters cell then has a runsDir).
        var trains = NotebookDocument.Load(notebook).Cells.Any(c => c.Tags.Contains(NotebookCell.ParametersTag) && c.Source.Contains("runsDir", StringComparison.Ordinal));
        string[] args = ["notebook", "run", notebook, .. parameters, .. trains ? [$"runsDir={runs}"] : Array.Empty<string>(), "--out", Path.Combine(_dir, "out")];

        var (code, stdout, stderr) = TinyRuns.InProcess(args);

        Assert.True(code == 0, $"{stdout}\n{stderr}");
        Assert.DoesNotContain("warning", stdout, StringComparison.Ordinal);
        var executedText = File.ReadAllText(Path.Combine(_dir, "out", name));
        Assert.Empty(NbformatShape.Violations(executedText));
        var executed = NotebookDocument.Parse(executedText);
        var outputs = executed.Cells.Where(c => c.IsCode).SelectMany(c => c.Json["outputs"]!.AsArray().Cast<JsonObject>()).ToList();
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
        Assert.Contains(outputs, o => o["data"]?["image/png"] is not null);
        var printed = string.Concat(outputs.Where(o => o["output_type"]!.GetValue<string>() == "stream")
            .SelectMany(o => o["text"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Contains(expectedText, printed, StringComparison.Ordinal);
        // The executed copy keeps the notebook's .NET Interactive metadata.
        Assert.Equal(".net-csharp", executed.Json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.NotNull(executed.Json["metadata"]!["polyglot_notebook"]);
    }
}
