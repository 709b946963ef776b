using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>One file of a lab dataset: its name in the dataset folder, where to download it (optional), its sha256.</summary>
public sealed class LabFileSettings : IValidatedSettings
{
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Where `research data fetch` downloads it; null for a file that is only in the lab's mirror.</summary>
    public string? Url { get; set; }

    [Required]
    public string Sha256 { get; set; } = "";

    [Range(0, long.MaxValue)]
    public long Bytes { get; set; }

    public IEnumerable<ConfigProblem> Validate()
    {
        if (!IsPlainName(Name))
            yield return new(nameof(Name), $"must be a plain file name, got '{Name}'");
        if (Sha256.Length != 64 || !Sha256.All(char.IsAsciiHexDigitLower))
            yield return new(nameof(Sha256), $"must be 64 lower-case hex digits (research data add prints it), got '{Sha256}'");
    }

    public static bool IsPlainName(string name) =>
        !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(['/', '\\', ':']) < 0 && !name.StartsWith('.');
}
