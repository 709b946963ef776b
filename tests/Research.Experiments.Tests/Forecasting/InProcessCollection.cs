namespace Research.Experiments.Tests.Forecasting;

/// <summary>Tests that compare the numbers of two trainings in this process run alone: libtorch's random generator is global.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessCollection
{
    public const string Name = "in-process training";
}
