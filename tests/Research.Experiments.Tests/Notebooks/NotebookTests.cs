using Research.Experiments.Notebooks;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>What the notebooks call besides the library: the repository's folders and the overridable parameters.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class NotebookTests
{
    [Fact]
    public void The_repository_is_found_from_the_assembly_wherever_the_kernel_started() =>
        Assert.True(File.Exists(Path.Combine(Notebook.RepositoryRoot, "Research.sln")));

    [Fact]
    public void A_parameter_is_its_default_unless_its_variable_is_set()
    {
        var key = "test" + Guid.NewGuid().ToString("N");
        Assert.Equal(150, Notebook.Parameter(key, 150));
        try
        {
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, " 3 ");
            Assert.Equal(3, Notebook.Parameter(key, 150));
            Assert.Equal(3L, Notebook.Parameter(key, 7L));
            Assert.Equal(3.0, Notebook.Parameter(key, 0.5));
            Assert.Equal("3", Notebook.Parameter(key, ""));
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, "2.5e-3");
            Assert.Equal(0.0025, Notebook.Parameter(key, 0.5));   // invariant culture, whatever the machine's
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, "true");
            Assert.True(Notebook.Parameter(key, false));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, null);
        }
    }

    [Fact]
    public void A_parameter_that_does_not_convert_names_its_variable()
    {
        var key = "test" + Guid.NewGuid().ToString("N");
        try
        {
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, "many");
            var e = Assert.Throws<ArgumentException>(() => Notebook.Parameter(key, 150));
            Assert.Equal($"RESEARCH_NB_{key}='many' is not a Int32 (the notebook's parameter {key} is 150)", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Notebook.ParameterPrefix + key, null);
        }
    }

    [Fact]
    public void Runs_go_under_the_repository_unless_a_folder_is_given()
    {
        Assert.Equal(Path.Combine(Notebook.RepositoryRoot, "runs"), Notebook.RunsDirectory(""));
        Assert.Equal(Path.GetFullPath("elsewhere"), Notebook.RunsDirectory("elsewhere"));
    }

    [Fact]
    public void Paths_are_shown_relative_to_the_repository_when_inside_or_beside_it()
    {
        var root = Notebook.RepositoryRoot;
        Assert.Equal(Path.Combine("runs", "a"), Notebook.Shown(Path.Combine(root, "runs", "a")));
        Assert.Equal(Path.Combine("..", "shared", "data"), Notebook.Shown(Path.Combine(root, "..", "shared", "data")));
        var far = Path.GetFullPath(Path.Combine(root, "..", "..", "x"));
        Assert.Equal(far, Notebook.Shown(far));
    }

    [Fact]
    public void Output_writes_to_the_given_writers_without_the_repository_path()
    {
        var (captured, errors) = (new StringWriter(), new StringWriter());
        Notebook.StartSession(() => captured, () => errors);
        captured.GetStringBuilder().Clear();

        Notebook.Output.Out.WriteLine($"run folder: {Path.Combine(Notebook.RepositoryRoot, "runs", "x")}");
        Notebook.Output.Out.Write("elsewhere: /opt/x");
        Notebook.Output.Error.Write($"retry: {Path.Combine(Notebook.RepositoryRoot, "runs", "y")}");

        Assert.Equal($"run folder: {Path.Combine("runs", "x")}{Environment.NewLine}elsewhere: /opt/x", captured.ToString());
        Assert.Equal($"retry: {Path.Combine("runs", "y")}", errors.ToString());
    }
}

/// <summary>Tests that set the notebooks' writers (process-wide, as a kernel has them) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
