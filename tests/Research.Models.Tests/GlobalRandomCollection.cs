namespace Research.Models.Tests;

/// <summary>
/// Tests that replay torch's global generator (manual_seed, then the same draws twice) must not share it with tests
/// running in parallel, which would draw in between; this collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "torch global generator";
}
