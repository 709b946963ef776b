namespace Research.Experiments.Settings;

/// <summary>model.* of the music task: the shared keys, for a model that predicts each next step.</summary>
public sealed class MusicModelSettings : ModelSettings
{
    protected override bool PredictsNextSteps => true;
}
