using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Experiments.Config;

namespace Research.Experiments.Sweeps;

/// <summary>
/// manifest.jsonl: one trial a line, `{"trial":0,"setting":0,"seed":1,"labels":{...},"overrides":[...]}`. Written once
/// when a sweep folder is made; the same sweep file always gives the same text, which is how a changed file is caught.
/// </summary>
public static class SweepManifest
{
    public static string Write(IReadOnlyList<SweepTrial> trials)
    {
        var text = new StringBuilder();
        foreach (var trial in trials)
        {
            var line = new JsonObject
            {
                ["trial"] = trial.Id,
                ["setting"] = trial.Setting,
                ["seed"] = trial.Seed,
                ["labels"] = new JsonObject(trial.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                ["overrides"] = new JsonArray([.. trial.Overrides.Select(o => (JsonNode?)o)]),
            };
            text.Append(line.ToJsonString()).Append('\n');
        }
        return text.ToString();
    }

    public static IReadOnlyList<SweepTrial> Read(string path)
    {
        var trials = new List<SweepTrial>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0)
                continue;
            try
            {
                var line = JsonNode.Parse(text)!.AsObject();
                var trial = new SweepTrial(
                    line["trial"]!.GetValue<int>(),
                    line["setting"]!.GetValue<int>(),
                    line["seed"]!.GetValue<int>(),
                    [.. line["labels"]!.AsObject().Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.GetValue<string>()))],
                    [.. line["overrides"]!.AsArray().Select(o => o!.GetValue<string>())]);
                if (trial.Id != trials.Count)
                    throw new ConfigException($"{path}:{number}: trial {trial.Id} where trial {trials.Count} was expected");
                trials.Add(trial);
            }
            catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
            {
                throw new ConfigException($"{path}:{number}: not a manifest line ({e.Message})");
            }
        }
        return trials;
    }
}
