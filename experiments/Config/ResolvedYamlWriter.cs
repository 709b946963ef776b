using System.Collections;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Research.Experiments.Config;

/// <summary>
/// A bound settings object as YAML: every key, defaults included, snake_case, in declaration order; dictionary keys
/// sorted so equal configs give equal text (and hash). Reading the text back gives an equal object.
/// </summary>
public static class ResolvedYamlWriter
{
    public static string Write(object settings)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        // No line folding: a long string stays on one line.
        var emitter = new Emitter(text, 2, int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Section(emitter, settings);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void Section(IEmitter emitter, object section)
    {
        var properties = SettingsSchema.Properties(section.GetType());
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, properties.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
        foreach (var property in properties)
        {
            Plain(emitter, property.Key);
            Value(emitter, property.Type, property.Info.GetValue(section));
        }
        emitter.Emit(new MappingEnd());
    }

    private static void Value(IEmitter emitter, Type type, object? value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (value)
        {
            case null:
                Plain(emitter, "null");
                return;
            case string s:
                StringScalar(emitter, s);
                return;
            case bool b:
                Plain(emitter, b ? "true" : "false");
                return;
            case int or long:
                Plain(emitter, Convert.ToString(value, CultureInfo.InvariantCulture)!);
                return;
            case double d:
                Plain(emitter, Number(d, d.ToString("R", CultureInfo.InvariantCulture)));
                return;
            case float f:
                Plain(emitter, Number(f, f.ToString("R", CultureInfo.InvariantCulture)));
                return;
            case Enum e:
                Plain(emitter, SnakeCase.From(e.ToString()));
                return;
        }
        if (SettingsSchema.ListElement(type) is { } element)
        {
            var items = ((IEnumerable)value).Cast<object?>().ToList();
            var flow = items.Count == 0 || SettingsSchema.IsScalar(element);
            emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
            foreach (var item in items)
                Value(emitter, element, item);
            emitter.Emit(new SequenceEnd());
        }
        else if (SettingsSchema.DictionaryValue(type) is { } valueType)
        {
            var entries = new List<DictionaryEntry>();
            foreach (DictionaryEntry entry in (IDictionary)value)
                entries.Add(entry);
            entries.Sort((a, b) => string.CompareOrdinal((string)a.Key, (string)b.Key));
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
            foreach (var entry in entries)
            {
                StringScalar(emitter, (string)entry.Key);
                Value(emitter, valueType, entry.Value);
            }
            emitter.Emit(new MappingEnd());
        }
        else
        {
            Section(emitter, value);
        }
    }

    /// <summary>Quoted when another YAML reader would take it for something else, or when it spans lines (one line, `\n`, reads better than a folded block).</summary>
    private static void StringScalar(IEmitter emitter, string s)
    {
        var quoted = ReadsAsOtherType(s) || s.Contains('\n', StringComparison.Ordinal) || s.Contains('\r', StringComparison.Ordinal);
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s, quoted ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));
    }

    private static void Plain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Any, true, true));

    /// <summary>`1.0` rather than `1`, so a reader sees a float; YAML's .inf and .nan for the rest.</summary>
    private static string Number(double x, string text)
    {
        if (double.IsNaN(x))
            return ".nan";
        if (double.IsInfinity(x))
            return x > 0 ? ".inf" : "-.inf";
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A YAML double-quoted scalar holding exactly <paramref name="s"/>.</summary>
    internal static string Quote(string s)
    {
        var escaped = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return escaped.Append('"').ToString();
    }

    /// <summary>Strings another YAML reader would take for null, a bool or a number are quoted.</summary>
    private static bool ReadsAsOtherType(string s) =>
        s.Length == 0
        || s is "~" or "null" or "Null" or "NULL"
        || s.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or ".inf" or "-.inf" or "+.inf" or ".nan"
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
