using Research.Experiments.Settings;
using Research.Models.Optimization;
using TorchSharp.Modules;
using Adam = Research.Models.Optimization.Adam;
using AdamW = Research.Models.Optimization.AdamW;

namespace Research.Experiments.Training;

/// <summary>
/// Builds the configured optimizer over a model's parameters (after the model was moved to its device): the project's
/// own (<see cref="Research.Models.Optimization"/>), the same maths as TorchSharp's with every Scalar explicit.
/// </summary>
public static class OptimizerFactory
{
    public static Optimizer Create(IEnumerable<Parameter> parameters, TrainSettings s) => s.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, s.Lr, s.Momentum, s.Dampening, s.WeightDecay, s.Nesterov),
        OptimizerKind.Adam => new Adam(parameters, s.Lr, s.Beta1, s.Beta2, s.Eps, s.WeightDecay),
        OptimizerKind.AdamW => new AdamW(parameters, s.Lr, s.Beta1, s.Beta2, s.Eps, s.WeightDecay),
        OptimizerKind.RmsProp => new RmsProp(parameters, s.Lr, s.Alpha, s.Eps, s.Momentum, s.Centered, s.WeightDecay, s.EpsInsideSqrt),
        _ => throw new InvalidOperationException($"unknown optimizer {s.Optimizer}"),
    };

    public static void SetLearningRate(Optimizer optimizer, double lr) => optimizer.LearningRate = lr;
}
