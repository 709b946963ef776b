namespace Research.Experiments.Logging;

/// <summary>What a learning curve runs along.</summary>
public enum CurveAxis
{
    /// <summary>One point per split and epoch: the last value logged in that epoch (the epoch summary).</summary>
    Epoch,

    /// <summary>Every logged point, against the global step.</summary>
    Step,
}
