using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Config;
using Research.Experiments.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Adam = Research.Models.Optimization.Adam;
using TrainSettings = Research.Experiments.Settings.TrainSettings;

namespace Research.Experiments.Tests.Settings;

/// <summary>The optimizer keys of train: defaults as before, how they reach the optimizer, and errors that name the key.</summary>
public sealed class TrainSettingsTests
{
    private const string Yaml = "task: music\ndata: {name: jsb_chorales}\n";

    private static TrainSettings Load(params string[] overrides)
        => ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, overrides, "jsb.yaml").Value.Train;

    private static string Error(params string[] overrides)
        => ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, overrides, "jsb.yaml"));

    [Fact]
    public void DefaultsAreTorchSharpsAsBefore()
    {
        var t = Load();
        Assert.Equal((0.0, 0.0, 0.99, 0.0, false, 0.9, 0.999, 1e-8, false), (t.Momentum, t.WeightDecay, t.Alpha, t.Dampening, t.Nesterov, t.Beta1, t.Beta2, t.Eps, t.Centered));
    }

    [Fact]
    public void EveryKeyReachesItsOptimizer()
    {
        List<Parameter> parameters = [nn.Parameter(zeros(2))];
        using var sgd = OptimizerFactory.Create(parameters, Load("train.optimizer=sgd", "train.momentum=0.9", "train.nesterov=true", "train.weight_decay=0.1"));
        Assert.Equal([("momentum", 0.9), ("dampening", 0.0), ("weight_decay", 0.1), ("nesterov", 1.0)], sgd.Hyperparameters);
        using var damped = OptimizerFactory.Create(parameters, Load("train.momentum=0.9", "train.dampening=0.5"));
        Assert.Equal(0.5, damped.Hyperparameters.Single(h => h.Name == "dampening").Value);
        using var adam = OptimizerFactory.Create(parameters, Load("train.optimizer=adam", "train.lr=0.01", "train.beta1=0.8", "train.beta2=0.99", "train.eps=1e-6"));
        Assert.IsType<Adam>(adam);
        Assert.Equal([("beta1", 0.8), ("beta2", 0.99), ("eps", 1e-6), ("weight_decay", 0.0)], adam.Hyperparameters);
        Assert.Equal(0.01, adam.LearningRate);
        using var adamW = OptimizerFactory.Create(parameters, Load("train.optimizer=adam_w", "train.weight_decay=0.01"));
        Assert.Equal(0.01, adamW.Hyperparameters.Single(h => h.Name == "weight_decay").Value);
        using var rmsProp = OptimizerFactory.Create(parameters, Load("train.optimizer=rms_prop", "train.alpha=0.9", "train.centered=true", "train.momentum=0.5", "train.eps=1e-6"));
        Assert.Equal([("alpha", 0.9), ("eps", 1e-6), ("momentum", 0.5), ("centered", 1.0), ("weight_decay", 0.0), ("eps_inside_sqrt", 0.0)], rmsProp.Hyperparameters);
        Assert.False(Load().EpsInsideSqrt);
        using var keras = OptimizerFactory.Create(parameters, Load("train.optimizer=rms_prop", "train.eps=1e-7", "train.eps_inside_sqrt=true"));
        Assert.Equal(1.0, keras.Hyperparameters.Single(h => h.Name == "eps_inside_sqrt").Value);
    }

    [Theory]
    [InlineData("train.momentum=-0.1", "override train.momentum=-0.1: must be at least 0")]
    [InlineData("train.weight_decay=-1", "override train.weight_decay=-1: must be at least 0")]
    [InlineData("train.dampening=1.5", "override train.dampening=1.5: must be between 0 and 1")]
    [InlineData("train.beta1=1", "override train.beta1=1: must be at least 0 and less than 1, got 1")]
    [InlineData("train.beta2=-0.5", "override train.beta2=-0.5: must be at least 0 and less than 1")]
    [InlineData("train.eps=-1e-8", "override train.eps=-1e-8: must be between 0 and 1")]
    [InlineData("train.alpha=1.5", "override train.alpha=1.5: must be between 0 and 1")]
    [InlineData("train.nesterov=true", "override train.nesterov=true: needs momentum > 0 and dampening 0, got momentum 0 and dampening 0")]
    [InlineData("train.optimizer=adam|train.nesterov=true", "train.nesterov=true: applies to optimizer sgd only, got optimizer adam")]
    [InlineData("train.optimizer=rms_prop|train.dampening=0.1", "train.dampening=0.1: applies to optimizer sgd only, got optimizer rms_prop")]
    [InlineData("train.beta1=0.5", "override train.beta1=0.5: applies to optimizers adam and adam_w only, got optimizer sgd")]
    [InlineData("train.optimizer=rms_prop|train.beta2=0.9", "train.beta2=0.9: applies to optimizers adam and adam_w only, got optimizer rms_prop")]
    [InlineData("train.eps=1e-6", "override train.eps=1e-6: applies to optimizers adam, adam_w and rms_prop, got optimizer sgd")]
    [InlineData("train.optimizer=adam_w|train.centered=true", "train.centered=true: applies to optimizer rms_prop only, got optimizer adam_w")]
    [InlineData("train.eps_inside_sqrt=true", "override train.eps_inside_sqrt=true: applies to optimizer rms_prop only, got optimizer sgd")]
    [InlineData("train.optimizer=adam|train.eps_inside_sqrt=true", "train.eps_inside_sqrt=true: applies to optimizer rms_prop only, got optimizer adam")]
    public void BadValuesNameTheKey(string settings, string message)
    {
        Assert.Contains(message, Error(settings.Split('|')), StringComparison.Ordinal);
    }
}
