using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>How YAML spells null, and how a node is quoted back to the user in an error.</summary>
internal static class YamlScalars
{
    /// <summary>`x:`, `x: ~` and `x: null` are null; `x: "null"` is the string.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsNull(scalar) => "null",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };
}
