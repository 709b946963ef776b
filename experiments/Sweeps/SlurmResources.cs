using System.ComponentModel.DataAnnotations;

namespace Research.Experiments.Sweeps;

/// <summary>
/// The `slurm:` block of a sweep file: what each array task asks for. Null leaves the cluster's default; MaxParallel
/// is the `%K` of `--array` (at most K trials at once); Extra are further sbatch options (`--qos=short`).
/// </summary>
public sealed class SlurmResources
{
    public string? Partition { get; set; }

    public string? Time { get; set; }

    [Range(1, 100_000)]
    public int CpusPerTask { get; set; } = 1;

    public string? Mem { get; set; }

    [Range(1, int.MaxValue)]
    public int? MaxParallel { get; set; }

    public List<string> Extra { get; set; } = [];
}
