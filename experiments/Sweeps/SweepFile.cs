using Research.Experiments.Settings;

namespace Research.Experiments.Sweeps;

/// <summary>
/// A parsed sweep file (configs/sweeps/*.yaml; docs/sweeps.md): the base config, fixed overrides, grid axes, random
/// keys, seeds, the metric that ranks settings and how to launch. <see cref="SweepFileParser"/> reads one.
/// </summary>
public sealed record SweepFile(
    string Path,
    string Text,
    string Name,
    string Base,
    IReadOnlyList<SweepOverride> Overrides,
    IReadOnlyList<GridAxis> Grid,
    IReadOnlyList<RandomParameter> Random,
    int Samples,
    int Seed,
    IReadOnlyList<int> Seeds,
    string Metric,
    MetricDirection Mode,
    int Workers,
    SlurmResources Slurm)
{
    /// <summary>The base config's path: `base:` is relative to the sweep file's folder.</summary>
    public string BasePath => System.IO.Path.IsPathRooted(Base)
        ? Base
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? "", Base);
}
