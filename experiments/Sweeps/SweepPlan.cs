namespace Research.Experiments.Sweeps;

/// <summary>
/// What a sweep file expands to: the base config resolved once (with the fixed overrides), its runs_dir (the default
/// sweep folder is &lt;runs_dir&gt;/sweeps/&lt;name&gt;), and every trial in order.
/// </summary>
public sealed record SweepPlan(SweepFile File, string BaseYaml, string RunsDir, IReadOnlyList<SweepTrial> Trials)
{
    public int Settings => Trials.Count == 0 ? 0 : Trials[^1].Setting + 1;
}
