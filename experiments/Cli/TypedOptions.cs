using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Research.Experiments.Cli;

/// <summary>
/// Options and positional arguments with the project's checks: a bad value is one line that names the option
/// ("--seq must be an integer, got 'ten'", "--hidden must be at least 1, got 0").
/// </summary>
public static class TypedOptions
{
    public static Option<bool> Flag(string name, string help) => new(name) { Description = help };

    public static Option<string> Text(string name, string help, string @default) =>
        new(name) { Description = help, DefaultValueFactory = _ => @default };

    public static Option<string?> Text(string name, string help) => new(name) { Description = help };

    public static Option<int> Int(string name, string help, int @default, int min = int.MinValue, int max = int.MaxValue) =>
        new(name) { Description = help, DefaultValueFactory = _ => @default, CustomParser = r => ParseInt(r, name, min, max) ?? @default };

    /// <summary>An integer option with no default: null when not given.</summary>
    public static Option<int?> OptionalInt(string name, string help, int min = int.MinValue, int max = int.MaxValue) =>
        new(name) { Description = help, CustomParser = r => ParseInt(r, name, min, max) };

    /// <summary>A number option with no default: null when not given.</summary>
    public static Option<double?> OptionalDouble(string name, string help, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(name) { Description = help, CustomParser = r => ParseDouble(r, name, min, max) };

    public static Option<double> Double(string name, string help, double @default, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(name) { Description = help, DefaultValueFactory = _ => @default, CustomParser = r => ParseDouble(r, name, min, max) ?? @default };

    /// <summary>One positional argument that must be given, e.g. RUN.</summary>
    public static Argument<string> One(string name, string help) => new(name) { Description = help };

    /// <summary>Positional arguments, none or more, e.g. NAME... or CONFIG key.sub=value ...</summary>
    public static Argument<string[]> Many(string name, string help) => new(name) { Description = help, Arity = ArgumentArity.ZeroOrMore };

    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0)
            return null;
        var raw = result.Tokens[^1].Value;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            return Fail<int>(result, $"{name} must be an integer, got '{raw}'");
        if (v < min || v > max)
            return Fail<int>(result, $"{name} must be {Range(min, max)}, got {v}");
        return v;
    }

    private static double? ParseDouble(ArgumentResult result, string name, double min, double max)
    {
        if (result.Tokens.Count == 0)
            return null;
        var raw = result.Tokens[^1].Value;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            return Fail<double>(result, $"{name} must be a number, got '{raw}'");
        if (v < min || v > max)
            return Fail<double>(result, $"{name} must be between {min} and {max}, got {v}");
        return v;
    }

    private static T? Fail<T>(ArgumentResult result, string message)
        where T : struct
    {
        result.AddError(message);
        return null;
    }

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, _) => $"at most {max}",
        (_, int.MaxValue) => $"at least {min}",
        _ => $"between {min} and {max}",
    };
}
