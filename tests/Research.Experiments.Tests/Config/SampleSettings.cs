using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

// Settings classes shaped like the experiment's: sections, defaults in initialisers, required keys, ranges and rules.

public enum Schedule
{
    Constant,
    Cosine,
    ReduceOnPlateau,
}

public sealed class SampleConfig : IValidatedSettings
{
    public ModelSettings Model { get; set; } = new();

    public TrainSettings Train { get; set; } = new();

    public required DataSettings Data { get; set; }

    public List<PhaseSettings> Phases { get; set; } = [];

    public Dictionary<string, double> Reference { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    public string? Note { get; set; }

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Train.Milestones.Count > 0 && Train.Milestones[^1] > Train.Epochs)
            yield return new ConfigProblem("train.milestones", $"the last milestone ({Train.Milestones[^1]}) is after train.epochs ({Train.Epochs})");
    }
}

public sealed class ModelSettings : IValidatedSettings
{
    [Range(1, 8)]
    public int Layers { get; set; } = 2;

    [Range(1, int.MaxValue)]
    public int Hidden { get; set; } = 200;

    public int EmbeddingSize { get; set; } = 200;

    public bool Tied { get; set; }

    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Dropout { get; set; }

    public float InitScale { get; set; } = 0.1f;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Tied && EmbeddingSize != Hidden)
            yield return new ConfigProblem(nameof(Tied), "requires model.embedding_size == model.hidden");
    }
}

public sealed class TrainSettings
{
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double Lr { get; set; } = 1.0;

    public int BatchSize { get; set; } = 20;

    public int Epochs { get; set; } = 40;

    public long Steps { get; set; } = 100_000;

    public Schedule Schedule { get; set; } = Schedule.Constant;

    [Range(1, int.MaxValue)]
    public List<int> Milestones { get; set; } = [5, 10];

    public double? ClipNorm { get; set; } = 0.25;

    public int? Seed { get; set; }

    public IReadOnlyList<string> Devices { get; set; } = ["cpu"];

    public double[] Betas { get; set; } = [0.9, 0.999];
}

public sealed class DataSettings
{
    public required string Name { get; set; }

    public string? Path { get; set; }

    public Schedule? ShuffleSchedule { get; set; }
}

public sealed class PhaseSettings
{
    public string Name { get; set; } = "";

    public int Epochs { get; set; } = 1;
}
