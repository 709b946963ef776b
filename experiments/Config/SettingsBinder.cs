using System.Collections;
using System.Globalization;
using System.Reflection;
using Research.Experiments.Cli;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// Fills settings objects from a merged YAML tree. Keys the YAML does not set keep the value of the property's
/// initializer, so defaults live only in the settings classes. The first wrong key or value ends binding with a
/// <see cref="ConfigException"/> that names its file, line and dotted key.
/// </summary>
internal sealed class SettingsBinder(NodeOrigins origins, string keyKind = "key")
{
    /// <param name="ownerOf">For a key the section's class lacks: what it belongs to instead (another task's section), if anything.</param>
    public object BindSection(Type type, object? existing, YamlMappingNode? map, string path, Func<string, string?>? ownerOf = null)
    {
        var target = existing ?? SettingsSchema.Create(type);
        var properties = SettingsSchema.Properties(type);
        var given = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map is null ? [] : YamlDeepMerge.Entries(map, origins))
        {
            var key = keyNode.Value!;
            given[key] = properties.Any(p => p.Key == key)
                ? valueNode
                : throw origins.Error(keyNode, Join(path, key), $"unknown {keyKind}{Hint(key, properties, path, ownerOf)}");
        }
        // Declaration order, so a key that picks a section's class (the task) is set before the section is bound.
        var owners = target as ISectionOwners;
        foreach (var property in properties)
        {
            var keyPath = Join(path, property.Key);
            var current = property.Info.GetValue(target);
            // A section binds to the class of the object it holds, which may be a subclass of the declared one.
            var bound = current is not null && SettingsSchema.IsSection(property.Type) ? current.GetType() : property.Type;
            Func<string, string?>? owner = owners is null ? null : key => owners.OwnerOf(property.Key, key);
            if (given.TryGetValue(property.Key, out var node))
            {
                property.Info.SetValue(target, Bind(bound, property.Nullability, current, node, keyPath, owner));
            }
            else if (SettingsSchema.IsSection(property.Type) && (current is not null || property.IsRequired))
            {
                // A section no file mentions still gets its own required keys checked, so the error names the leaf key.
                property.Info.SetValue(target, BindSection(bound, current, null, keyPath));
            }
            else if (property.IsRequired)
            {
                throw new ConfigException($"{origins.RootSource}: missing required key {keyPath}");
            }
        }
        return target;
    }

    /// <summary>Where the key belongs instead, else the snake_case spelling of a PascalCase key, else the nearest key by edit distance.</summary>
    private static string Hint(string key, IReadOnlyList<SettingsProperty> properties, string path, Func<string, string?>? ownerOf)
    {
        if (ownerOf?.Invoke(key) is { } owner)
            return $" (belongs to {owner})";
        var prefix = path.Length == 0 ? "" : path + ".";
        var snake = SnakeCase.From(key);
        return properties.Any(p => p.Key == snake)
            ? $" (did you mean {prefix}{snake}?)"
            : DidYouMean.Suggest(key, properties.Select(p => p.Key), prefix);
    }

    private object? Bind(Type type, NullabilityInfo? nullability, object? existing, YamlNode node, string path, Func<string, string?>? ownerOf = null)
    {
        if (YamlScalars.IsNull(node))
        {
            return AcceptsNull(type, nullability)
                ? null
                : throw origins.Error(node, path, $"expected {Expected(type)}, got null");
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (SettingsSchema.IsRaw(type))
            return type.IsInstanceOfType(node) ? node : throw Mismatch(type, node, path);
        if (SettingsSchema.IsScalar(type))
            return node is YamlScalarNode scalar ? Scalar(type, scalar, path) : throw Mismatch(type, node, path);
        if (SettingsSchema.ListElement(type) is { } element)
            return node is YamlSequenceNode list ? List(type, element, ElementNullability(nullability, type), list, path) : throw Mismatch(type, node, path);
        if (SettingsSchema.DictionaryValue(type) is { } valueType)
            return node is YamlMappingNode map ? Dictionary(valueType, nullability?.GenericTypeArguments.ElementAtOrDefault(1), existing, map, path) : throw Mismatch(type, node, path);
        if (SettingsSchema.IsSection(type))
            return node is YamlMappingNode section ? BindSection(type, existing, section, path, ownerOf) : throw Mismatch(type, node, path);
        throw new InvalidOperationException($"{path}: {type.Name} is not a type the config binder supports");
    }

    private object Scalar(Type type, YamlScalarNode node, string path)
    {
        var text = node.Value ?? "";
        if (type == typeof(string))
            return text;
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            var match = names.FirstOrDefault(n => SnakeCase.From(n) == text || string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return match is not null
                ? Enum.Parse(type, match)
                : throw origins.Error(node, path, $"expected one of {string.Join(", ", names.Select(SnakeCase.From))}, got '{text}'");
        }
        object? value = type == typeof(int) ? (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null)
            : type == typeof(long) ? (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null)
            : type == typeof(double) ? ParseDouble(text)
            : type == typeof(float) ? (float?)ParseDouble(text)
            : type == typeof(bool) ? ParseBool(text)
            : null;
        return value ?? throw origins.Error(node, path, $"expected {Expected(type)}, got '{text}'");
    }

    private static double? ParseDouble(string text) => text switch
    {
        ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
        "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
        ".nan" or ".NaN" or ".NAN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
    };

    private static bool? ParseBool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    private object List(Type listType, Type element, NullabilityInfo? elementNullability, YamlSequenceNode node, string path)
    {
        var items = node.Children.Select((child, k) => Bind(element, elementNullability, null, child, $"{path}[{k}]")).ToList();
        if (listType.IsArray)
        {
            var array = Array.CreateInstance(element, items.Count);
            for (var k = 0; k < items.Count; k++)
                array.SetValue(items[k], k);
            return array;
        }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items)
            list.Add(item);
        return list;
    }

    /// <summary>A free-form section: keys are the user's own; it merges into the initializer's entries like any mapping.</summary>
    private object Dictionary(Type valueType, NullabilityInfo? valueNullability, object? existing, YamlMappingNode node, string path)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType), StringComparer.Ordinal)!;
        if (existing is IDictionary initial)
        {
            foreach (DictionaryEntry entry in initial)
                dictionary[entry.Key] = entry.Value;
        }
        foreach (var (key, value) in YamlDeepMerge.Entries(node, origins))
            dictionary[key.Value!] = Bind(valueType, valueNullability, dictionary[key.Value!], value, Join(path, key.Value!));
        return dictionary;
    }

    private ConfigException Mismatch(Type type, YamlNode node, string path) =>
        origins.Error(node, path, $"expected {Expected(type)}, got {YamlScalars.Describe(node)}");

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return "a string";
        if (type == typeof(int) || type == typeof(long))
            return "an integer";
        if (type == typeof(double) || type == typeof(float))
            return "a number";
        if (type == typeof(bool))
            return "true or false";
        if (type.IsEnum)
            return $"one of {string.Join(", ", Enum.GetNames(type).Select(SnakeCase.From))}";
        if (SettingsSchema.ListElement(type) is not null || type == typeof(YamlSequenceNode))
            return "a list";
        return "a mapping";
    }

    private static bool AcceptsNull(Type type, NullabilityInfo? nullability) =>
        Nullable.GetUnderlyingType(type) is not null
        || (!type.IsValueType && nullability?.WriteState is null or NullabilityState.Nullable or NullabilityState.Unknown);

    private static NullabilityInfo? ElementNullability(NullabilityInfo? nullability, Type listType) =>
        listType.IsArray ? nullability?.ElementType : nullability?.GenericTypeArguments.ElementAtOrDefault(0);

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
