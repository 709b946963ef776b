using System.Globalization;
using Research.Experiments.Config;

namespace Research.Experiments.Runs;

/// <summary>
/// One run's folder, runs/&lt;experiment&gt;/&lt;yyyyMMdd-HHmmss&gt;-&lt;id&gt;/ (Hydra's layout), never reused:
/// <code>
///   config.yaml  overrides.yaml      the resolved config (every default filled in) and the overrides as typed
///   metrics.csv  metrics.jsonl        long-format metrics, appended (wall_time, step, epoch, split, name, value)
///   events.out.tfevents.*             TensorBoard scalars
///   checkpoints/last.ckpt best.ckpt   complete training states, written atomically
///   plots/*.png                       learning curves (and forecasts)
///   summary.json                      final metrics, wall time, hardware, versions, git commit, dataset checksums
///   vocabulary.json                   language models: the token of every id, for `research generate`
/// </code>
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public string Id => System.IO.Path.GetFileName(Path);

    public string Config => Combine(LoadedConfig<Settings.ExperimentSettings>.ConfigFileName);

    public string MetricsCsv => Combine("metrics.csv");

    public string Summary => Combine("summary.json");

    public string Vocabulary => Combine("vocabulary.json");

    public string Plots => Combine("plots");

    public string Checkpoints => Combine("checkpoints");

    public string LastCheckpoint => Combine("checkpoints", "last.ckpt");

    public string BestCheckpoint => Combine("checkpoints", "best.ckpt");

    /// <summary>A new, empty run folder; the time stamp and a random suffix make names unique and sortable.</summary>
    public static RunFolder Create(string runsDir, string experiment)
    {
        var parent = System.IO.Path.GetFullPath(System.IO.Path.Combine(runsDir, experiment));
        Directory.CreateDirectory(parent);
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        while (true)
        {
            var path = System.IO.Path.Combine(parent, $"{stamp}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..6]}");
            if (Directory.Exists(path))
                continue;
            Directory.CreateDirectory(path);
            var folder = new RunFolder(path);
            Directory.CreateDirectory(folder.Checkpoints);
            Directory.CreateDirectory(folder.Plots);
            return folder;
        }
    }

    /// <summary>A new run in a folder the caller names (a sweep's trials/&lt;id&gt;/): created if missing; it must hold no run yet.</summary>
    /// <exception cref="Cli.UsageException">The folder already holds a run (a config.yaml).</exception>
    public static RunFolder CreateAt(string path)
    {
        var folder = new RunFolder(System.IO.Path.GetFullPath(path));
        if (File.Exists(folder.Config))
            throw new Cli.UsageException($"{path} already holds a run ({folder.Config})");
        Directory.CreateDirectory(folder.Checkpoints);
        Directory.CreateDirectory(folder.Plots);
        return folder;
    }

    /// <summary>An existing run folder (one with a config.yaml).</summary>
    /// <exception cref="Cli.UsageException">The path is not a run folder.</exception>
    public static RunFolder Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(System.IO.Path.Combine(full, LoadedConfig<Settings.ExperimentSettings>.ConfigFileName)))
            throw new Cli.UsageException($"{path} is not a run folder (no {LoadedConfig<Settings.ExperimentSettings>.ConfigFileName})");
        return new RunFolder(full);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
