using Research.Experiments.Interop;
using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>Small language models and forecasters of every exported kind, in eval mode, with non-trivial weights.</summary>
internal static class OnnxTestModels
{
    /// <summary>Every language model <see cref="Language"/> builds that ONNX can express.</summary>
    public static readonly string[] LanguageKinds = ["word", "char_one_hot", "tied", "peephole", "bidirectional", "gru", "rnn_relu", "torch_core"];

    /// <summary>Every forecaster <see cref="Forecaster"/> builds.</summary>
    public static readonly string[] ForecasterKinds = ["plain", "rev_in", "last", "standard_scaler", "bidirectional", "gru"];

    public static LanguageModel Language(string kind)
    {
        var recurrence = kind switch
        {
            "peephole" => new RecurrentStackOptions(Variant: new LstmVariant { Peephole = true, ForgetBias = 1.0 }),
            "bidirectional" => new RecurrentStackOptions(Variant: new LstmVariant { Bidirectional = true }),
            "gru" => new RecurrentStackOptions(Cell: RecurrentCellKind.Gru),
            "rnn_relu" => new RecurrentStackOptions(Cell: RecurrentCellKind.RnnRelu),
            "torch_core" => new RecurrentStackOptions(Backend: RecurrentBackendKind.Torch),
            "projection" => new RecurrentStackOptions(Variant: new LstmVariant { ProjectionSize = 8 }),
            "layer_norm" => new RecurrentStackOptions(Variant: new LstmVariant { LayerNorm = true }),
            "cifg" => new RecurrentStackOptions(Variant: new LstmVariant { CoupledInputForget = true }),
            "no_output_activation" => new RecurrentStackOptions(Variant: new LstmVariant { NoOutputActivation = true }),
            _ => new RecurrentStackOptions(),
        };
        var tied = kind == "tied";
        var model = new LanguageModel(new LanguageModelOptions(40, tied ? 24 : 16, 24, 2, TieWeights: tied, Init: LanguageModelInit.UniformAll, InitRange: 0.3)
        {
            Recurrence = recurrence,
            Input = kind == "char_one_hot" ? LanguageModelInput.OneHot : LanguageModelInput.Embedding,
        });
        Randomise(model);
        model.eval();
        return model;
    }

    public static (Forecaster Model, OnnxColumnScaling? Scaling) Forecaster(string kind)
    {
        var model = new Forecaster(new ForecasterOptions(InputFeatures: 3, TargetFeatures: 2, Horizon: 4, HiddenSize: 10, Layers: 2)
        {
            WindowNormalization = kind switch
            {
                "rev_in" or "bidirectional" => WindowNormalization.RevIn,
                "last" or "gru" => WindowNormalization.Last,
                _ => WindowNormalization.None,
            },
            Recurrence = kind switch
            {
                "bidirectional" => new RecurrentStackOptions(Variant: new LstmVariant { Bidirectional = true }),
                "gru" => new RecurrentStackOptions(Cell: RecurrentCellKind.Gru),
                _ => new RecurrentStackOptions(),
            },
        });
        Randomise(model);
        model.eval();
        var scaling = kind == "standard_scaler" ? new OnnxColumnScaling([10f, -3f, 0f], [2f, 0.5f, 1f], [10f, -3f], [2f, 0.5f]) : null;
        return (model, scaling);
    }

    /// <summary>What the graph with the dataset scaler computes, in TorchSharp: scale the window, forecast, scale back.</summary>
    public static Tensor ForecastInOriginalUnits(Forecaster model, Tensor window, OnnxColumnScaling scaling)
    {
        using var scope = NewDisposeScope();
        var scaled = window.sub(tensor(scaling.InputOffset)).div(tensor(scaling.InputScale));
        var forecast = model.call(scaled);
        return forecast.mul(tensor(scaling.TargetScale)).Plus(tensor(scaling.TargetOffset)).MoveToOuterDisposeScope();
    }

    /// <summary>Every parameter U(−0.5, 0.5): RevIN's γ, β and the peepholes start at constants that would hide a layout error.</summary>
    private static void Randomise(nn.Module model)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(3);
        foreach (var (_, parameter) in model.named_parameters())
            parameter.uniform_(-0.5, 0.5, generator: generator);
    }
}
