using Research.Experiments.Settings;
using TorchSharp;
using TorchSharp.Modules;

namespace Research.Experiments.Training;

/// <summary>Builds the configured optimizer over a model's parameters (after the model was moved to its device).</summary>
public static class OptimizerFactory
{
    public static OptimizerHelper Create(IEnumerable<Parameter> parameters, TrainSettings s) => s.Optimizer switch
    {
        OptimizerKind.Sgd => torch.optim.SGD(parameters, s.Lr, momentum: s.Momentum, weight_decay: s.WeightDecay),
        OptimizerKind.Adam => torch.optim.Adam(parameters, s.Lr, weight_decay: s.WeightDecay),
        OptimizerKind.AdamW => torch.optim.AdamW(parameters, s.Lr, weight_decay: s.WeightDecay),
        OptimizerKind.RmsProp => torch.optim.RMSProp(parameters, s.Lr, alpha: s.Alpha, momentum: s.Momentum, weight_decay: s.WeightDecay),
        _ => throw new InvalidOperationException($"unknown optimizer {s.Optimizer}"),
    };

    public static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = lr;
    }
}
