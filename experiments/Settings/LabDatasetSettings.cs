using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>One dataset of a lab catalogue: its name (a folder name in the mirror and cache) and its files.</summary>
public sealed class LabDatasetSettings : IValidatedSettings
{
    [Required]
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Where the data comes from (a paper, an instrument, a colleague), shown by `research data list`.</summary>
    public string Source { get; set; } = "";

    public List<LabFileSettings> Files { get; set; } = [];

    public IEnumerable<ConfigProblem> Validate()
    {
        if (!LabFileSettings.IsPlainName(Name))
            yield return new(nameof(Name), $"must be a plain folder name, got '{Name}'");
        if (Files.Count == 0)
            yield return new(nameof(Files), $"dataset '{Name}' lists no files");
        var repeated = Files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            yield return new(nameof(Files), $"file '{repeated.Key}' is listed twice");
    }
}
