using System.ComponentModel.DataAnnotations;

namespace Research.Experiments.Settings;

/// <summary>data.* of the generated sequence tasks (adding, copying): how long and how many sequences.</summary>
public sealed class SequenceDataSettings : DataSettings
{
    [Range(1, 1_000_000)]
    public int SequenceLength { get; set; } = 100;

    [Range(1, int.MaxValue)]
    public int TrainSequences { get; set; } = 10_000;

    [Range(1, int.MaxValue)]
    public int EvalSequences { get; set; } = 1_000;
}
