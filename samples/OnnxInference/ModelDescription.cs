using System.Text.Json;

namespace OnnxInference;

/// <summary>What model.json beside the ONNX file says: the vocabulary (language models) or the columns (forecasters).</summary>
public sealed record ModelDescription(IReadOnlyList<string> Vocabulary, IReadOnlyList<string> InputColumns, IReadOnlyList<string> TargetColumns, int Lookback)
{
    public static ModelDescription Read(string model)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model))!, "model.json");
        if (!File.Exists(path))
            throw new ArgumentException($"{path}: no such file (research export writes it beside the model)");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        List<string> Strings(JsonElement e) => [.. e.EnumerateArray().Select(s => s.GetString() ?? "")];
        List<string> vocabulary = [];
        if (root.TryGetProperty("vocabulary", out var v))
        {
            // A vocabulary.json copied beside model.json wins: the recorded path is the run's, on the machine that trained it.
            var beside = Path.Combine(Path.GetDirectoryName(path)!, "vocabulary.json");
            var file = File.Exists(beside) ? beside : v.GetString() ?? "";
            if (!File.Exists(file))
                throw new ArgumentException($"{file}: no such file (model.json's vocabulary; copy vocabulary.json beside model.json)");
            using var tokens = JsonDocument.Parse(File.ReadAllText(file));
            vocabulary = Strings(tokens.RootElement);
        }
        var scaler = root.TryGetProperty("scaler", out var s) ? s : default;
        return new(vocabulary,
            scaler.ValueKind == JsonValueKind.Object ? Strings(scaler.GetProperty("input_columns")) : [],
            scaler.ValueKind == JsonValueKind.Object ? Strings(scaler.GetProperty("target_columns")) : [],
            root.TryGetProperty("lookback", out var l) ? l.GetInt32() : 0);
    }
}
