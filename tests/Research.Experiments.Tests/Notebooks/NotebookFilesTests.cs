using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Research.Experiments.Notebooks;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>
/// The notebooks as files: valid nbformat 4 with the .NET Interactive metadata, one setup line, parameters a headless
/// run can override, thin views over src/, and committed outputs of a clean kernel run (scripts/notebooks.sh --update).
/// That they still execute is scripts/notebooks.sh's job, in the real kernel.
/// </summary>
public sealed partial class NotebookFilesTests
{
    [Fact]
    public void The_four_notebooks_are_there() =>
        Assert.Equal(
            ["01-lstm-gate-by-gate.ipynb", "02-char-language-model.ipynb", "03-forecasting.ipynb", "04-compare-runs.ipynb"],
            NotebookFiles.Paths().Select(Path.GetFileName));

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void Each_notebook_is_valid_nbformat_4_with_the_dotnet_interactive_metadata(string name)
    {
        Assert.Empty(NbformatShape.Violations(File.ReadAllText(Path.Combine(NotebookFiles.Folder, name))));
        var notebook = NotebookFiles.Read(name);
        var metadata = notebook["metadata"]!;
        Assert.Equal(".net-csharp", metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("C#", metadata["kernelspec"]!["language"]!.GetValue<string>());
        Assert.Equal("C#", metadata["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(NotebookFiles.CodeCells(notebook), c => Assert.Equal("csharp", c["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void The_first_code_cell_loads_the_project_with_one_line(string name)
    {
        var first = NotebookFiles.CodeCells(NotebookFiles.Read(name)).First();
        Assert.Equal(["#load \"research.csx\""], CodeLines(NotebookFiles.Source(first)));
    }

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void Every_parameter_is_one_a_headless_run_can_override(string name)
    {
        var parameters = Assert.Single(NotebookFiles.CodeCells(NotebookFiles.Read(name)), c => NotebookFiles.Tags(c).Contains("parameters"));
        var lines = CodeLines(NotebookFiles.Source(parameters)).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var match = ParameterLine().Match(line);
            Assert.True(match.Success, $"{name}: '{line}' is not `TYPE name = Notebook.Parameter(\"name\", default);`");
            Assert.Equal(match.Groups["name"].Value, match.Groups["key"].Value);
        }
    }

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void Cells_are_thin_views_over_src_without_machine_paths(string name)
    {
        foreach (var cell in NotebookFiles.CodeCells(NotebookFiles.Read(name)))
        {
            var source = NotebookFiles.Source(cell);
            Assert.DoesNotMatch(TypeDeclaration(), source);   // a class worth having belongs in src/ or experiments/
            Assert.DoesNotMatch(MachinePath(), source);       // data come through the config and $RESEARCH_DATA_DIR
        }
    }

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void The_committed_outputs_are_a_clean_kernel_run_with_small_pictures(string name)
    {
        var outputs = NotebookFiles.CodeCells(NotebookFiles.Read(name)).SelectMany(NotebookFiles.Outputs).ToList();
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "stream" && o["name"]!.GetValue<string>() == "stderr");
        var images = outputs.Select(o => o["data"]?["image/png"]).OfType<JsonNode>().Select(NotebookFiles.Text).ToList();
        Assert.NotEmpty(images);
        foreach (var png in images.Select(Convert.FromBase64String))
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.InRange(png.Length, 1, 120_000);
        }
        foreach (var output in outputs)
            Assert.DoesNotMatch(MachinePath(), output.ToJsonString());
    }

    /// <summary>The lines of a cell that are not blank and not comments.</summary>
    private static List<string> CodeLines(string source) =>
        [.. source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal))];

    [GeneratedRegex("""^(int|long|double|bool|string) (?<name>\w+) = Notebook\.Parameter\("(?<key>\w+)", [^;]+\);$""")]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"^\s*(public\s+|internal\s+|sealed\s+|abstract\s+)*(class|record|struct|interface)\s+\w+", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(/work/|/home/|/root/|/tmp/|[A-Z]:\\\\Users)")]
    private static partial Regex MachinePath();
}
