using Research.Experiments.Config;

namespace Research.Experiments.Sweeps;

/// <summary>
/// One sweep's folder (default &lt;runs_dir&gt;/sweeps/&lt;name&gt;/), the same for every launcher:
/// <code>
///   sweep.yaml                 the sweep file as last launched (name, metric, mode, resources)
///   base.yaml                  the base config resolved once, fixed overrides included: every trial starts from it
///   manifest.jsonl             one trial a line (id, setting, seed, labels, overrides); written once, never changed
///   trials/&lt;id&gt;/              each trial's normal run folder (config.yaml, metrics, checkpoints, summary.json) + trial.log
///   slurm/sweep.sbatch         the Slurm launcher's job-array script; slurm/&lt;job&gt;_&lt;task&gt;.out its tasks' output
///   aggregate.csv aggregate.md one row per setting, ranked by the metric: mean ± sample std over seeds, best, worst
///   trials.csv                 one row per trial: state and metric
/// </code>
/// </summary>
public sealed class SweepFolder
{
    public const string SweepFileName = "sweep.yaml";
    public const string BaseFileName = "base.yaml";
    public const string ManifestFileName = "manifest.jsonl";

    private SweepFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string SweepFile => Combine(SweepFileName);

    public string BaseConfig => Combine(BaseFileName);

    public string Manifest => Combine(ManifestFileName);

    public string Slurm => Combine("slurm");

    public string AggregateCsv => Combine("aggregate.csv");

    public string AggregateMarkdown => Combine("aggregate.md");

    public string TrialsCsv => Combine("trials.csv");

    public string TrialPath(SweepTrial trial) => Combine("trials", trial.FolderName);

    public string TrialLog(SweepTrial trial) => System.IO.Path.Combine(TrialPath(trial), "trial.log");

    public TrialStatus StatusOf(SweepTrial trial) => TrialStatus.Of(TrialPath(trial));

    /// <summary>Whether a sweep was expanded into this folder before.</summary>
    public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(path, ManifestFileName));

    /// <summary>
    /// Makes the folder for a plan, or checks that an existing one was made from the same expansion: a changed sweep
    /// file or base config would mix trials of two sweeps under one aggregate, so it is refused.
    /// </summary>
    public static SweepFolder Prepare(string path, SweepPlan plan)
    {
        var folder = new SweepFolder(path);
        var manifest = SweepManifest.Write(plan.Trials);
        if (Exists(path))
        {
            var existing = File.ReadAllText(folder.Manifest);
            if (existing != manifest)
                throw new ConfigException($"{plan.File.Path}: {folder.Path} holds a sweep with other trials ({FirstDifference(existing, manifest)}); "
                    + "give another --out or delete that folder");
            if (!File.Exists(folder.BaseConfig) || File.ReadAllText(folder.BaseConfig) != plan.BaseYaml)
                throw new ConfigException($"{plan.File.Path}: the base config resolves differently from {folder.BaseConfig} "
                    + "(the base file or the fixed overrides changed); give another --out or delete that folder");
        }
        else
        {
            Directory.CreateDirectory(folder.Path);
            WriteAtomically(folder.BaseConfig, plan.BaseYaml);
            WriteAtomically(folder.Manifest, manifest);
        }
        WriteAtomically(folder.SweepFile, plan.File.Text);
        return folder;
    }

    /// <summary>An existing sweep folder (for a trial process, a Slurm task or `--status`).</summary>
    public static SweepFolder Open(string path)
    {
        if (!Exists(path) || !File.Exists(System.IO.Path.Combine(path, BaseFileName)))
            throw new Cli.UsageException($"{path} is not a sweep folder (no {ManifestFileName} and {BaseFileName})");
        return new SweepFolder(path);
    }

    public IReadOnlyList<SweepTrial> Trials() => SweepManifest.Read(Manifest);

    /// <summary>The sweep file as last launched, read back for its metric and resources (its base is not needed any more).</summary>
    public SweepFile ReadSweepFile() => SweepFileParser.Parse(File.ReadAllText(SweepFile), SweepFile);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    private static string FirstDifference(string existing, string expanded)
    {
        var (a, b) = (existing.Split('\n'), expanded.Split('\n'));
        if (a.Length != b.Length)
            return $"{a.Length - 1} trials there, {b.Length - 1} in the sweep file";
        var k = Enumerable.Range(0, a.Length).First(i => a[i] != b[i]);
        return $"trial {k} differs";
    }
}
