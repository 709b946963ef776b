namespace Research.Experiments.Sweeps;

/// <summary>
/// One trial of an expanded sweep: its id (the manifest line, the Slurm array index, the trials/&lt;id&gt; folder), the
/// setting it belongs to (trials differing only in seed share it), the seed, the label of every axis, and the
/// overrides applied on top of the sweep's base.yaml.
/// </summary>
public sealed record SweepTrial(int Id, int Setting, int Seed, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<string> Overrides)
{
    /// <summary>The trial's folder name: zero-padded so that folders sort in trial order.</summary>
    public string FolderName => Id.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    public string Describe() => string.Join(' ', Labels.Select(l => $"{l.Key}={l.Value}").Append($"seed={Seed}"));
}
