using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Research.Experiments.Notebooks;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>The notebooks as files: valid nbformat 4, .NET Interactive metadata, thin views over src/.</summary>
public sealed partial class NotebookFilesTests
{
    public static TheoryData<string> Notebooks() => [.. NotebookPaths().Select(Path.GetFileName).OfType<string>()];

    public static IEnumerable<string> NotebookPaths() =>
        Directory.GetFiles(Path.Combine(TinyRuns.RepositoryRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal);

    [Fact]
    public void The_four_notebooks_of_the_issue_are_there() =>
        Assert.Equal(
            ["01-lstm-gate-by-gate.ipynb", "02-char-language-model.ipynb", "03-forecasting.ipynb", "04-compare-runs.ipynb"],
            NotebookPaths().Select(Path.GetFileName));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_is_valid_nbformat_4_with_the_dotnet_interactive_metadata(string name)
    {
        var text = File.ReadAllText(Path.Combine(TinyRuns.RepositoryRoot, "notebooks", name));
        Assert.Empty(NbformatShape.Violations(text));
        var metadata = JsonNode.Parse(text)!["metadata"]!;
        Assert.Equal(".net-csharp", metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("C#", metadata["kernelspec"]!["language"]!.GetValue<string>());
        Assert.Equal("C#", metadata["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());

        var notebook = NotebookDocument.Parse(text);
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.Language));
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Empty(c.Json["outputs"]!.AsArray()));
        Assert.Single(notebook.Cells, c => c.Tags.Contains(NotebookCell.ParametersTag));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Cells_are_thin_views_over_src_and_define_no_model_classes(string name)
    {
        var notebook = NotebookDocument.Load(Path.Combine(TinyRuns.RepositoryRoot, "notebooks", name));
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
        {
            Assert.DoesNotMatch(TypeDeclaration(), cell.Source);
            Assert.DoesNotContain("/work/", cell.Source, StringComparison.Ordinal);   // no machine paths: data come from RESEARCH_DATA_DIR
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Reading_and_writing_a_notebook_changes_nothing(string name)
    {
        var text = File.ReadAllText(Path.Combine(TinyRuns.RepositoryRoot, "notebooks", name));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(NotebookDocument.Parse(text).ToJson())));
    }

    [Fact]
    public void A_new_csharp_notebook_is_valid_nbformat_4()
    {
        var notebook = NotebookDocument.CreateCSharp([NotebookCell.Markdown("# title"), NotebookCell.Code("1 + 1", "parameters")]);
        Assert.Empty(NbformatShape.Violations(notebook.ToJson()));
    }

    [GeneratedRegex(@"^\s*(public\s+|internal\s+|sealed\s+|abstract\s+)*(class|record|struct|interface)\s+\w+", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
