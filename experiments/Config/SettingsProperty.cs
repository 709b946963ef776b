using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Research.Experiments.Config;

/// <summary>One settable property of a settings class, with the YAML key it answers to and its rules.</summary>
internal sealed record SettingsProperty(PropertyInfo Info, string Key, bool IsRequired, NullabilityInfo Nullability, RangeAttribute? Range)
{
    public Type Type => Info.PropertyType;
}
