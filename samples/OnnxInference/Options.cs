using System.Globalization;

namespace OnnxInference;

/// <summary>The command line: the model, then --name value pairs.</summary>
public sealed record Options(string Model, string? Prompt, int Length, double Temperature, int Seed, string? Csv)
{
    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException("usage: OnnxInference MODEL.onnx [--prompt TEXT] [--length N] [--temperature T] [--seed S] | [--csv FILE]");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        var unknown = values.Keys.FirstOrDefault(k => k is not ("prompt" or "length" or "temperature" or "seed" or "csv"));
        if (unknown is not null)
            throw new ArgumentException($"unknown option --{unknown}");
        if (!File.Exists(args[0]))
            throw new ArgumentException($"{args[0]}: no such file");
        return new(args[0], values.GetValueOrDefault("prompt"), int.Parse(values.GetValueOrDefault("length", "40"), CultureInfo.InvariantCulture),
            double.Parse(values.GetValueOrDefault("temperature", "1.0"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture), values.GetValueOrDefault("csv"));
    }
}
