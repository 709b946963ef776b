using System.Globalization;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Research.Experiments.Sweeps;

/// <summary>
/// Reads a sweep file: its keys are bound to <see cref="SweepSettings"/> by the config binder; this reads the grid,
/// random and overrides blocks into axes. Every mistake is a one-line <see cref="ConfigException"/> naming
/// `file:line: key`. Config keys themselves are checked later, against the base config (<see cref="SweepExpansion"/>).
/// </summary>
public static class SweepFileParser
{
    public static SweepFile Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"{path}: sweep file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="path">The file the text stands for: named in errors; `base:` is relative to its folder.</param>
    public static SweepFile Parse(string text, string path)
    {
        var settings = ConfigLoader.Bind<SweepSettings>(text, path, "sweep key");
        var reader = new Reader(path);
        var overrides = settings.Overrides is { } o ? reader.Bundle(o, "overrides") : [];
        var grid = settings.Grid is { } g ? reader.Grid(g) : [];
        var random = settings.Random is { } r ? reader.Random(r) : [];
        var names = grid.Select(a => (a.Name, a.Line)).Concat(random.Select(p => (Name: p.Key, p.Line))).ToList();
        var repeated = names.GroupBy(a => a.Name).FirstOrDefault(grp => grp.Count() > 1);
        if (repeated is not null)
            throw new ConfigException($"{path}:{repeated.Last().Line}: {repeated.Key}: swept twice (in grid and random)");
        CheckKeysSetOnce(path, overrides, grid, random, settings.Seeds);
        return new SweepFile(path, text, settings.Name ?? System.IO.Path.GetFileNameWithoutExtension(path), settings.Base, overrides, grid, random,
            settings.Samples, settings.Seed, settings.Seeds, settings.Metric, settings.Mode == "max" ? MetricDirection.Higher : MetricDirection.Lower,
            settings.Workers, settings.Slurm);
    }

    /// <summary>Two axes setting one key would leave the later one silently winning: the key may be swept once.</summary>
    private static void CheckKeysSetOnce(string path, IReadOnlyList<SweepOverride> fixedOverrides, IReadOnlyList<GridAxis> grid,
        IReadOnlyList<RandomParameter> random, IReadOnlyList<int> seeds)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in fixedOverrides)
            owners.TryAdd(o.Key, "overrides");
        if (seeds.Count > 0)
            owners["seed"] = "seeds";
        var swept = grid.SelectMany(a => a.Keys.Select(k => (key: k, axis: $"grid.{a.Name}", line: a.Line)))
            .Concat(random.Select(p => (key: p.Key, axis: $"random.{p.Key}", line: p.Line)));
        foreach (var (key, axis, line) in swept)
        {
            if (owners.TryGetValue(key, out var owner) && owner != axis)
                throw new ConfigException($"{path}:{line}: {axis}: sets {key}, which {owner} sets too");
            owners[key] = axis;
        }
    }

    /// <summary>Reads nodes of one file, turning every surprise into `file:line: key: message`.</summary>
    private sealed class Reader(string path)
    {
        public ConfigException Error(YamlNode node, string key, string message) => new($"{path}:{node.Start.Line}: {key}: {message}");

        public YamlMappingNode Mapping(YamlNode node, string key) => node as YamlMappingNode
            ?? throw Error(node, key, $"expected a mapping, got {YamlScalars.Describe(node)}");

        public string String(YamlNode node, string key) => node is YamlScalarNode { Value: { Length: > 0 } value } scalar && !YamlScalars.IsNull(scalar)
            ? value
            : throw Error(node, key, $"expected a value, got {YamlScalars.Describe(node)}");

        public double Number(YamlNode node, string key) =>
            double.TryParse(String(node, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw Error(node, key, $"expected a number, got {YamlScalars.Describe(node)}");

        /// <summary>A mapping of config keys (dotted or nested) to values, flattened to `a.b=value` overrides in file order.</summary>
        public List<SweepOverride> Bundle(YamlMappingNode map, string where, string prefix = "")
        {
            var overrides = new List<SweepOverride>();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = prefix + Key(keyNode, where + ".");
                if (value is YamlMappingNode nested)
                    overrides.AddRange(Bundle(nested, where, key + "."));
                else
                    overrides.Add(new SweepOverride($"{key}={ValueText(value, $"{where}.{key}")}", (int)keyNode.Start.Line));
            }
            return overrides;
        }

        public List<GridAxis> Grid(YamlMappingNode grid)
        {
            var axes = new List<GridAxis>();
            foreach (var (keyNode, value) in grid.Children)
            {
                var name = Key(keyNode, "grid.");
                var where = $"grid.{name}";
                var line = (int)keyNode.Start.Line;
                List<AxisValue> values = value switch
                {
                    YamlSequenceNode list => [.. list.Children.Select(v => Plain(name, v, where))],
                    YamlMappingNode { Children.Count: 1 } map when map.Children.Keys.First() is YamlScalarNode { Value: "range" } =>
                        [.. Range(map.Children.Values.First(), where + ".range").Select(v => new AxisValue(v, [new SweepOverride($"{name}={v}", line)], line))],
                    YamlMappingNode bundles => [.. bundles.Children.Select(b => new AxisValue(
                        Key(b.Key, where + "."),
                        Bundle(Mapping(b.Value, $"{where}.{Key(b.Key, where + ".")}"), where),
                        (int)b.Key.Start.Line))],
                    _ => throw Error(value, where, "expected a list of values, {range: [start, stop, step]} or named bundles of overrides"),
                };
                if (values.Count == 0)
                    throw Error(value, where, "has no values");
                if (values.Any(v => v.Overrides.Count == 0))
                    throw Error(value, where, "a bundle sets no keys");
                if (values.Select(v => v.Label).Distinct(StringComparer.Ordinal).Count() != values.Count)
                    throw Error(value, where, "two values have the same label");
                axes.Add(new GridAxis(name, values, line));
            }
            return axes;
        }

        private AxisValue Plain(string key, YamlNode value, string where)
        {
            if (value is YamlMappingNode)
                throw Error(value, where, "a value of a key's list cannot be a mapping; for several keys at once use named bundles");
            var text = ValueText(value, where);
            return new AxisValue(text, [new SweepOverride($"{key}={text}", (int)value.Start.Line)], (int)value.Start.Line);
        }

        /// <summary>`[start, stop]` or `[start, stop, step]`, stop excluded as in Python; integers stay integers.</summary>
        private List<string> Range(YamlNode node, string where)
        {
            if (node is not YamlSequenceNode { Children.Count: 2 or 3 } list)
                throw Error(node, where, "expected [start, stop] or [start, stop, step]");
            var texts = list.Children.Select(c => String(c, where)).ToList();
            var integers = texts.All(t => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
            var numbers = list.Children.Select(c => Number(c, where)).ToList();
            var (start, stop, step) = (numbers[0], numbers[1], numbers.Count == 3 ? numbers[2] : 1.0);
            if (step == 0 || (stop - start) / step > 10_000)
                throw Error(node, where, "the step must be non-zero and give at most 10000 values");
            var values = new List<string>();
            for (var k = 0; ; k++)
            {
                var v = start + (k * step);
                if (step > 0 ? v >= stop - (Math.Abs(step) * 1e-9) : v <= stop + (Math.Abs(step) * 1e-9))
                    break;
                values.Add(integers
                    ? ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture)
                    : Math.Round(v, 10).ToString("R", CultureInfo.InvariantCulture));
            }
            if (values.Count == 0)
                throw Error(node, where, $"the range from {texts[0]} to {texts[1]} is empty");
            return values;
        }

        public List<RandomParameter> Random(YamlMappingNode random)
        {
            var parameters = new List<RandomParameter>();
            foreach (var (keyNode, value) in random.Children)
            {
                var key = Key(keyNode, "random.");
                var where = $"random.{key}";
                var line = (int)keyNode.Start.Line;
                if (value is not YamlMappingNode { Children.Count: 1 } spec || spec.Children.Keys.First() is not YamlScalarNode { Value: { } kind })
                    throw Error(value, where, "expected one of {uniform: [a, b]}, {log_uniform: [a, b]}, {choice: [...]}");
                var args = spec.Children.Values.First();
                if (kind == "choice")
                {
                    var choices = args is YamlSequenceNode { Children.Count: > 0 } list
                        ? list.Children.Select(c => ValueText(c, where)).ToList()
                        : throw Error(args, where, "choice needs a non-empty list");
                    parameters.Add(new RandomParameter(key, RandomDistribution.Choice, 0, 0, choices, line));
                    continue;
                }
                var distribution = kind switch
                {
                    "uniform" => RandomDistribution.Uniform,
                    "log_uniform" => RandomDistribution.LogUniform,
                    _ => throw Error(spec, where, $"unknown distribution '{kind}'{DidYouMean.Suggest(kind, ["uniform", "log_uniform", "choice"])}"),
                };
                if (args is not YamlSequenceNode { Children.Count: 2 } bounds)
                    throw Error(args, where, $"{kind} needs [low, high]");
                var (low, high) = (Number(bounds.Children[0], where), Number(bounds.Children[1], where));
                if (!(low < high) || (distribution == RandomDistribution.LogUniform && low <= 0))
                    throw Error(args, where, $"{kind} needs low < high{(distribution == RandomDistribution.LogUniform ? " and low > 0" : "")}");
                parameters.Add(new RandomParameter(key, distribution, low, high, [], line));
            }
            return parameters;
        }

        private string Key(YamlNode node, string prefix) => node is YamlScalarNode { Value: { Length: > 0 } key }
            ? key
            : throw Error(node, prefix.TrimEnd('.'), "expected a key name");

        /// <summary>A value as override text, meaning in `key=TEXT` what it meant in the file (quoted strings stay strings).</summary>
        private string ValueText(YamlNode node, string where) => node switch
        {
            YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => "'" + (s.Value ?? "").Replace("'", "''", StringComparison.Ordinal) + "'",
            YamlScalarNode s => s.Value ?? "",
            YamlSequenceNode list => "[" + string.Join(", ", list.Children.Select(c => ValueText(c, where))) + "]",
            _ => throw Error(node, where, "expected a value or a list, not a mapping"),
        };
    }
}
