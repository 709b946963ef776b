using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using ScottPlot;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>The walkthroughs as file-based apps: notebooks/apps/NAME.cs for each notebook, and what FileApp does for them.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FileAppTests
{
    [Fact]
    public void Each_notebook_has_its_file_based_app_built_on_this_project()
    {
        foreach (var notebook in NotebookFiles.Paths())
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var app = File.ReadAllText(Path.Combine(NotebookFiles.Folder, "apps", name + ".cs"));
            Assert.Contains($"//   dotnet run notebooks/apps/{name}.cs", app, StringComparison.Ordinal);
            Assert.Contains("\n#:project ../../experiments/Research.Experiments.csproj\n", app, StringComparison.Ordinal);
            Assert.Contains($"\nFileApp.Start(\"{name}\", () => Console.Out, () => Console.Error);\n", app, StringComparison.Ordinal);
            Assert.DoesNotContain("#load", app, StringComparison.Ordinal);
        }
        Assert.Equal(NotebookFiles.Paths().Count(), Directory.GetFiles(Path.Combine(NotebookFiles.Folder, "apps"), "*.cs").Length);
    }

    [Fact]
    public void A_started_app_writes_its_plots_as_png_files_and_prints_its_tables()
    {
        var name = "test-" + Guid.NewGuid().ToString("N");
        var printed = new StringWriter();
        try
        {
            // As the compiler calls it from notebooks/apps/NAME.cs: the repository is the one above that file.
            FileApp.Start(name, () => printed, () => TextWriter.Null, Path.Combine(NotebookFiles.Folder, "apps", name + ".cs"));
            var plot = new Plot();
            plot.Add.Scatter(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 });
            FileApp.display(plot);
            FileApp.display(new MarkdownTable("a", "b").Add("1", "2"));
            FileApp.display(null);

            var figure = Path.Combine(Notebook.RepositoryRoot, "runs", "apps", name, "figure-1.png");
            Assert.Equal(Path.GetDirectoryName(figure), FileApp.Figures);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(figure)[..4]);
            var lines = printed.ToString().Split(Environment.NewLine);
            Assert.StartsWith("TorchSharp ", lines[0], StringComparison.Ordinal);
            Assert.Equal($"[figure 1: {Path.Combine("runs", "apps", name, "figure-1.png")}]", lines[1]);
            Assert.Equal("| a | b |\n| - | - |\n| 1 | 2 |\n<null>", string.Join(Environment.NewLine, lines[2..]).TrimEnd());
        }
        finally
        {
            Directory.Delete(Path.Combine(Notebook.RepositoryRoot, "runs", "apps", name), recursive: true);
        }
    }
}
