using System.Globalization;

namespace Research.Experiments.Cli;

/// <summary>
/// The arguments of one command after checking them against its <see cref="OptionSpec"/>s: `--name value`,
/// `--name=value` and `--flag`; anything else is positional. Typed getters turn a bad value into a
/// <see cref="UsageException"/> that names the option.
/// </summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, OptionSpec> _specs;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positional { get; }

    /// <summary>The arguments as given after the verb, for recording the exact command of a run.</summary>
    public IReadOnlyList<string> Given { get; }

    public bool HelpRequested { get; }

    private ParsedArgs(IReadOnlyList<OptionSpec> specs, IReadOnlyList<string> args)
    {
        _specs = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Given = [.. args];
        var positional = new List<string>();
        for (var k = 0; k < args.Count; k++)
        {
            var arg = args[k];
            if (arg is "--help" or "-h")
            {
                HelpRequested = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq >= 0 ? arg[2..eq] : arg[2..];
            if (!_specs.TryGetValue(name, out var spec))
                throw new UsageException($"unknown option --{name}{DidYouMean.Suggest(name, _specs.Keys, "--")}");
            if (spec.IsFlag)
            {
                if (eq >= 0)
                    throw new UsageException($"--{name} is a flag and takes no value");
                _flags.Add(name);
                continue;
            }
            string value;
            if (eq >= 0)
                value = arg[(eq + 1)..];
            else if (k + 1 < args.Count)
                value = args[++k];
            else
                throw new UsageException($"--{name} needs a value");
            if (!_values.TryAdd(name, value))
                throw new UsageException($"--{name} is given twice");
        }
        Positional = positional;
    }

    public static ParsedArgs Parse(IReadOnlyList<OptionSpec> specs, IReadOnlyList<string> args) => new(specs, args);

    /// <summary>`research VERB ARGS...` with every argument as given (quoted where it holds a space).</summary>
    public string CommandLine(string verb) =>
        string.Join(' ', new[] { "research", verb }.Concat(Given.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)));

    public bool Flag(string name) => _flags.Contains(Known(name).Name);

    public string String(string name) => Raw(name) ?? throw new UsageException($"--{name} is required");

    public string? OptionalString(string name) => Raw(name);

    public int Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = String(name);
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"--{name} must be an integer, got '{raw}'");
        if (v < min || v > max)
            throw new UsageException($"--{name} must be {Range(min, max)}, got {v}");
        return v;
    }

    public double Double(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var raw = String(name);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new UsageException($"--{name} must be a number, got '{raw}'");
        if (v < min || v > max)
            throw new UsageException($"--{name} must be between {min} and {max}, got {v}");
        return v;
    }

    private string? Raw(string name) => _values.TryGetValue(name, out var v) ? v : Known(name).Default;

    private OptionSpec Known(string name) => _specs.TryGetValue(name, out var s)
        ? s
        : throw new InvalidOperationException($"option --{name} is read but was never declared");

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, _) => $"at most {max}",
        (_, int.MaxValue) => $"at least {min}",
        _ => $"between {min} and {max}",
    };
}
