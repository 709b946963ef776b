namespace Research.Experiments.Sweeps;

/// <summary>
/// The `slurm:` block of a sweep file: what each array task asks for. Null leaves the cluster's default; MaxParallel
/// is the `%K` of `--array` (at most K trials at once); ExtraLines are further sbatch options (`--qos=short`).
/// </summary>
public sealed record SlurmResources(
    string? Partition = null,
    string? Time = null,
    int CpusPerTask = 1,
    string? Mem = null,
    int? MaxParallel = null,
    IReadOnlyList<string>? ExtraLines = null);
