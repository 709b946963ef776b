namespace Research.Experiments.Tests.Notebooks;

/// <summary>The runner redirects the process's Console while a cell runs: notebook tests run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks";
}
