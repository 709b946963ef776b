namespace Research.Experiments.Settings;

/// <summary>data.* of the music task: a piano-roll file (a registered dataset's or one's own).</summary>
public sealed class MusicDataSettings : SourceDataSettings
{
    /// <summary>The file inside a dataset folder; null when the folder has one file.</summary>
    public string? File { get; set; }
}
