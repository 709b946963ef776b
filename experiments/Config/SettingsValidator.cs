using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// After binding: [Range] on numbers (and on each number of a list), then each section's <see cref="IValidatedSettings"/>
/// rules. Every problem is found before reporting, on one line, each at the line that set the key (or the file asked for,
/// when the value is a default).
/// </summary>
internal sealed class SettingsValidator(NodeOrigins origins, YamlMappingNode tree)
{
    private readonly List<string> _problems = [];

    public void Validate(object settings)
    {
        Walk(settings, "");
        if (_problems.Count > 0)
            throw new ConfigException(string.Join("; ", _problems));
    }

    private void Walk(object section, string path)
    {
        foreach (var property in SettingsSchema.Properties(section.GetType()))
        {
            var keyPath = SettingsBinder.Join(path, property.Key);
            var value = property.Info.GetValue(section);
            if (property.Range is { } range)
                CheckRange(range, value, keyPath);
            if (value is not null && SettingsSchema.IsSection(property.Type))
            {
                Walk(value, keyPath);
            }
            else if (value is IList list && SettingsSchema.ListElement(property.Type) is { } element && SettingsSchema.IsSection(element))
            {
                for (var k = 0; k < list.Count; k++)
                {
                    if (list[k] is { } item)
                        Walk(item, $"{keyPath}[{k}]");
                }
            }
        }
        if (section is IValidatedSettings validated)
        {
            foreach (var problem in validated.Validate())
                Report(SettingsBinder.Join(path, SnakeCase.FromPath(problem.Key)), problem.Message);
        }
    }

    private void CheckRange(RangeAttribute range, object? value, string path)
    {
        if (value is IList list)
        {
            for (var k = 0; k < list.Count; k++)
                CheckRange(range, list[k], $"{path}[{k}]");
            return;
        }
        if (value is null)
            return;
        var x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        var tooLow = range.MinimumIsExclusive ? x <= min : x < min;
        var tooHigh = range.MaximumIsExclusive ? x >= max : x > max;
        if (tooLow || tooHigh || double.IsNaN(x))
            Report(path, $"must be {RangeText(range, min, max)}, got {Number(x)}");
    }

    private static string RangeText(RangeAttribute range, double min, double max)
    {
        var hasMin = min > int.MinValue && !double.IsNegativeInfinity(min);
        var hasMax = max < int.MaxValue && !double.IsPositiveInfinity(max);
        var lower = range.MinimumIsExclusive ? $"greater than {Number(min)}" : $"at least {Number(min)}";
        var upper = range.MaximumIsExclusive ? $"less than {Number(max)}" : $"at most {Number(max)}";
        return (hasMin, hasMax) switch
        {
            (true, true) when !range.MinimumIsExclusive && !range.MaximumIsExclusive => $"between {Number(min)} and {Number(max)}",
            (true, true) => $"{lower} and {upper}",
            (true, false) => lower,
            (false, true) => upper,
            _ => "a finite number",
        };
    }

    private static string Number(double x) => x.ToString(CultureInfo.InvariantCulture);

    private void Report(string path, string message) => _problems.Add(origins.Describe(Locate(path), path, message));

    /// <summary>The key node (or list element) that set a dotted path like `train.milestones[1]`, if any file or override did.</summary>
    private YamlNode? Locate(string path)
    {
        YamlNode? current = tree;
        YamlNode? found = null;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var key = bracket < 0 ? segment : segment[..bracket];
            if (current is not YamlMappingNode map)
                return null;
            var entry = map.Children.FirstOrDefault(e => e.Key is YamlScalarNode s && s.Value == key);
            if (entry.Key is null)
                return null;
            (found, current) = (entry.Key, entry.Value);
            foreach (var index in bracket < 0 ? [] : segment[(bracket + 1)..^1].Split("]["))
            {
                if (current is not YamlSequenceNode list || !int.TryParse(index, CultureInfo.InvariantCulture, out var k) || k >= list.Children.Count)
                    return null;
                found = current = list.Children[k];
            }
        }
        return found;
    }
}
