using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>A temporary folder holding the tiny base config (TinyRuns.LanguageModel) and sweep files written beside it.</summary>
public sealed class SweepFixtures : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("research-sweep").FullName;

    public SweepFixtures() => TinyRuns.WriteConfig(Dir, TinyRuns.LanguageModel, "tiny.yaml");

    /// <summary>Writes a sweep file (its `base:` can say tiny.yaml) and returns its path.</summary>
    public string Sweep(string yaml, string name = "sweep.yaml") => TinyRuns.WriteConfig(Dir, yaml, name);

    public string Path(params string[] parts) => System.IO.Path.Combine([Dir, .. parts]);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
