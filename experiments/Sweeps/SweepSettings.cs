using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Sweeps;

/// <summary>
/// The keys of a sweep file (docs/sweeps.md), bound by the config binder like an experiment's; the defaults are these
/// initializers. Grid, random and overrides stay YAML (their keys are the experiment's): <see cref="SweepFileParser"/>
/// reads them into axes.
/// </summary>
public sealed class SweepSettings : IValidatedSettings
{
    /// <summary>The sweep's folder name under runs/sweeps/; null: the sweep file's name.</summary>
    public string? Name { get; set; }

    /// <summary>The experiment config every trial starts from, relative to the sweep file's folder.</summary>
    [Required]
    public string Base { get; set; } = "";

    /// <summary>Config keys (dotted or nested) every trial sets.</summary>
    public YamlMappingNode? Overrides { get; set; }

    /// <summary>Axes whose product is run: a key's list of values, a {range: [start, stop, step]}, or named bundles of keys.</summary>
    public YamlMappingNode? Grid { get; set; }

    /// <summary>Keys drawn at random: {uniform: [a, b]}, {log_uniform: [a, b]} or {choice: [...]}.</summary>
    public YamlMappingNode? Random { get; set; }

    /// <summary>How many random draws (with a random: block).</summary>
    [Range(0, 1_000_000)]
    public int Samples { get; set; }

    /// <summary>Seeds the random draws.</summary>
    [Range(0, int.MaxValue)]
    public int Seed { get; set; }

    /// <summary>Each setting runs once per seed; empty: the base config's seed.</summary>
    [Range(0, int.MaxValue)]
    public List<int> Seeds { get; set; } = [];

    /// <summary>The metric that ranks settings, e.g. test.loss.</summary>
    [Required]
    public string Metric { get; set; } = "";

    /// <summary>min or max: whether a lower or a higher metric is better.</summary>
    public string Mode { get; set; } = "min";

    /// <summary>Trials run at once by the local launcher.</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = 1;

    public SlurmResources Slurm { get; set; } = new();

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Name is not null && (Name.Length == 0 || Name.IndexOfAny(['/', '\\', ':', ' ']) >= 0 || Name.StartsWith('.')))
            yield return new(nameof(Name), $"must be a plain folder name, got '{Name}'");
        if (Mode is not ("min" or "max"))
            yield return new(nameof(Mode), $"must be min or max, got '{Mode}'");
        if (Random is { Children.Count: > 0 } && Samples == 0)
            yield return new(nameof(Random), "random search needs samples: N (how many settings to draw)");
        if (Random is null or { Children.Count: 0 } && Samples > 0)
            yield return new(nameof(Samples), "samples is the number of random draws: give a random: block too");
        if (Seeds.Distinct().Count() != Seeds.Count)
            yield return new(nameof(Seeds), $"expected distinct seeds, got [{string.Join(", ", Seeds)}]");
    }
}
