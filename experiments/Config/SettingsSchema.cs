using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Config;

/// <summary>
/// What the binder reads off a settings class by reflection: its public settable properties in declaration order
/// (base class first), and which shape each property type has (scalar, list, dictionary, nested section).
/// </summary>
internal static class SettingsSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<SettingsProperty>> Cache = new();

    private static readonly HashSet<Type> ScalarTypes = [typeof(string), typeof(int), typeof(long), typeof(double), typeof(float), typeof(bool)];

    public static IReadOnlyList<SettingsProperty> Properties(Type type) => Cache.GetOrAdd(type, Reflect);

    private static List<SettingsProperty> Reflect(Type type)
    {
        var nullability = new NullabilityInfoContext();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken)
            .ToList();
        // A programming error, not a user's: found on first use of the class, whatever the YAML says.
        var unsupported = properties.FirstOrDefault(p => !IsSupported(p.PropertyType));
        if (unsupported is not null)
        {
            throw new InvalidOperationException($"{type.Name}.{unsupported.Name}: {unsupported.PropertyType.Name} is not a config type " +
                "(use string, int, long, double, float, bool, an enum, a nullable of these, a list or array, Dictionary<string, T> or a settings class)");
        }
        return properties
            .Select(p => new SettingsProperty(
                p,
                SnakeCase.From(p.Name),
                IsRequiredMember(p) || p.IsDefined(typeof(RequiredAttribute)),
                nullability.Create(p),
                p.GetCustomAttribute<RangeAttribute>()))
            .ToList();
    }

    private static bool IsSupported(Type type) =>
        IsScalar(type)
        || IsRaw(type)
        || (ListElement(type) is { } element && IsSupported(element))
        || (DictionaryValue(type) is { } value && IsSupported(value))
        || IsSection(type);

    private static int Depth(Type type) => type.BaseType is null ? 0 : 1 + Depth(type.BaseType);

    /// <summary>Strings, numbers, bools and enums, possibly nullable: what a YAML scalar binds to.</summary>
    public static bool IsScalar(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return ScalarTypes.Contains(underlying) || underlying.IsEnum;
    }

    /// <summary>The element type of T[], List&lt;T&gt;, IReadOnlyList&lt;T&gt;, IList&lt;T&gt;, IEnumerable&lt;T&gt; and the like.</summary>
    public static Type? ListElement(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (!type.IsGenericType || type == typeof(string))
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>The value type of Dictionary&lt;string, T&gt;, IDictionary&lt;string, T&gt; or IReadOnlyDictionary&lt;string, T&gt;.</summary>
    public static Type? DictionaryValue(Type type)
    {
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        return (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            && arguments[0] == typeof(string)
            ? arguments[1]
            : null;
    }

    /// <summary>A YAML subtree kept as it is, for a structure of one's own (a sweep's grid); its nodes keep their lines.</summary>
    public static bool IsRaw(Type type) => typeof(YamlNode).IsAssignableFrom(type);

    /// <summary>
    /// A nested settings class: any other class with a public parameterless constructor, or an abstract one
    /// whose property always holds an object of a concrete subclass (the binder binds to that object's class).
    /// </summary>
    public static bool IsSection(Type type) =>
        type.IsClass && !IsScalar(type) && !IsRaw(type) && ListElement(type) is null && DictionaryValue(type) is null
        && (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is not null);

    public static object Create(Type type) => type.GetConstructor(Type.EmptyTypes) is null
        ? throw new InvalidOperationException($"settings class {type.Name} needs a public parameterless constructor")
        : Activator.CreateInstance(type)!;

    // By name: ScottPlot ships a public polyfill of RequiredMemberAttribute, so typeof(...) would be ambiguous.
    private static bool IsRequiredMember(PropertyInfo p) =>
        p.GetCustomAttributes(inherit: false).Any(a => a.GetType().FullName == "System.Runtime.CompilerServices.RequiredMemberAttribute");
}
