using System.Text.RegularExpressions;
using Research.Experiments.Notebooks;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>notebooks/research.csx, the one line each notebook loads, and its twin at the repository root.</summary>
public sealed partial class ResearchScriptTests
{
    private static readonly string Root = Notebook.RepositoryRoot;

    [Fact]
    public void It_references_assemblies_of_this_project_s_build_output_and_starts_the_session()
    {
        var script = File.ReadAllText(Path.Combine(Root, "notebooks", "research.csx"));
        var references = Reference().Matches(script).Select(m => m.Groups["path"].Value).ToList();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            // Relative to notebooks/: the output folder of the research tool (scripts/research builds it), whose
            // assemblies are copied beside these tests.
            Assert.Equal(Path.Combine(Root, "experiments", "bin", "Release", "net10.0"), Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Root, "notebooks", reference))));
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, Path.GetFileName(reference))), $"{reference}: no such assembly in the build output");
        }
        Assert.Contains(references, r => r.EndsWith("/research.dll", StringComparison.Ordinal));
        Assert.Contains(references, r => r.EndsWith("/TorchSharp.dll", StringComparison.Ordinal));
        Assert.Contains("Research.Experiments.Notebooks.Notebook.Start(() => Console.Out, () => Console.Error);", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_copy_at_the_root_loads_the_one_beside_the_notebooks()
    {
        // A kernel started at the root resolves the notebooks' `#load "research.csx"` there.
        var lines = File.ReadAllLines(Path.Combine(Root, "research.csx")).Where(l => !l.StartsWith("//", StringComparison.Ordinal) && l.Trim().Length > 0);
        Assert.Equal(["#load \"notebooks/research.csx\""], lines);
    }

    [Fact]
    public void The_tool_manifest_pins_dotnet_repl()
    {
        var manifest = File.ReadAllText(Path.Combine(Root, ".config", "dotnet-tools.json"));
        Assert.Matches("\"dotnet-repl\":\\s*\\{\\s*\"version\":\\s*\"0\\.3\\.259\"", manifest);
    }

    [GeneratedRegex("""^#r "(?<path>[^"]+)"$""", RegexOptions.Multiline)]
    private static partial Regex Reference();
}
