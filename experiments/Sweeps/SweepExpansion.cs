using Research.Experiments.Config;
using Research.Experiments.Settings;

namespace Research.Experiments.Sweeps;

/// <summary>
/// Expands a sweep file into trials and checks every one against the config schema before anything runs. Order:
/// the grid's product (first axis slowest), then the random draws, then seeds innermost, so a setting's trials are
/// adjacent. Random draws come from the sweep's own seed, the same on every expansion.
/// </summary>
public static class SweepExpansion
{
    public static SweepPlan Expand(SweepFile file)
    {
        if (!File.Exists(file.BasePath))
            throw new ConfigException($"{file.Path}: base: config file {file.Base} not found (base: is relative to the sweep file)");
        foreach (var o in file.Overrides)
            Check(file, o.Line, "overrides", [o.Text], path: file.BasePath);
        var baseConfig = Load(file, file.BasePath, [.. file.Overrides.Select(o => o.Text)], "overrides");
        var baseYaml = baseConfig.ResolvedYaml;

        foreach (var axis in file.Grid)
        {
            foreach (var value in axis.Values)
                Check(file, value.Line, $"grid.{axis.Name}", [.. value.Overrides.Select(o => o.Text)], yaml: baseYaml);
        }

        var random = new Random(file.Seed);
        var draws = Enumerable.Range(0, Math.Max(file.Samples, 1))
            .Select(_ => file.Random.Select(p => (parameter: p, value: p.Sample(random))).ToList())
            .ToList();
        foreach (var (parameter, value) in draws.SelectMany(d => d))
            Check(file, parameter.Line, $"random.{parameter.Key}", [$"{parameter.Key}={value}"], yaml: baseYaml);

        var seeds = file.Seeds.Count > 0 ? file.Seeds : [baseConfig.Value.Seed];
        var trials = new List<SweepTrial>();
        var setting = 0;
        foreach (var point in Product(file.Grid))
        {
            foreach (var draw in draws)
            {
                var labels = point.Select((v, k) => KeyValuePair.Create(file.Grid[k].Name, v.Label))
                    .Concat(draw.Select(d => KeyValuePair.Create(d.parameter.Key, d.value)))
                    .ToList();
                var overrides = point.SelectMany(v => v.Overrides.Select(o => o.Text))
                    .Concat(draw.Select(d => $"{d.parameter.Key}={d.value}"))
                    .ToList();
                foreach (var seed in seeds)
                {
                    List<string> trialOverrides = file.Seeds.Count > 0 ? [.. overrides, $"seed={seed}"] : overrides;
                    var trial = new SweepTrial(trials.Count, setting, seed, labels, trialOverrides);
                    Check(file, 0, $"trial {trial.Id} ({trial.Describe()})", trialOverrides, yaml: baseYaml);
                    trials.Add(trial);
                }
                setting++;
            }
        }
        return new SweepPlan(file, baseYaml, baseConfig.Value.RunsDir, trials);
    }

    /// <summary>Every combination of one value per axis, the last axis changing fastest; one empty point for no axes.</summary>
    private static IEnumerable<IReadOnlyList<AxisValue>> Product(IReadOnlyList<GridAxis> axes)
    {
        IEnumerable<IReadOnlyList<AxisValue>> points = [[]];
        foreach (var axis in axes)
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<AxisValue>)[.. p, v])).ToList();
        return points;
    }

    private static void Check(SweepFile file, int line, string where, IReadOnlyList<string> overrides, string? path = null, string? yaml = null)
    {
        try
        {
            if (path is not null)
                ConfigLoader.Load<ExperimentSettings>(path, overrides);
            else
                ConfigLoader.LoadFromString<ExperimentSettings>(yaml!, overrides, sourceName: file.BasePath);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"{file.Path}{(line > 0 ? $":{line}" : "")}: {where}: {e.Message}");
        }
    }

    private static LoadedConfig<ExperimentSettings> Load(SweepFile file, string path, IReadOnlyList<string> overrides, string where)
    {
        try
        {
            return ConfigLoader.Load<ExperimentSettings>(path, overrides);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"{file.Path}: {where}: {e.Message}");
        }
    }
}
