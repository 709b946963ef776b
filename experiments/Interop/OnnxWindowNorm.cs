using Research.Models.Forecasting;
using static TorchSharp.torch;

namespace Research.Experiments.Interop;

/// <summary>
/// A forecaster's window normalisation (<see cref="WindowScaler"/>) as ONNX ops on the target channels of the
/// window [B, L, F]; covariates pass unchanged. The same equations:
/// <code>
///   last:   x' = x − x_L                               ŷ = ŷ' + x_L
///   rev_in: x' = γ ⊙ (x − μ) / σ + β                   ŷ = (ŷ' − β) / (γ + ε²) ⊙ σ + μ,  σ = √(var + ε), ε = 1e-5
/// </code>
/// </summary>
public sealed class OnnxWindowNorm
{
    private const float Epsilon = 1e-5f;
    private readonly OnnxGraph _graph;
    private readonly long _targets;
    private readonly long _features;
    private readonly string? _shift;
    private readonly string? _spread;
    private readonly (string Weight, string Bias)? _affine;

    private OnnxWindowNorm(OnnxGraph graph, long targets, long features, string? shift, string? spread, (string, string)? affine)
        => (_graph, _targets, _features, _shift, _spread, _affine) = (graph, targets, features, shift, spread, affine);

    /// <summary>The statistics of <paramref name="window"/>'s target channels, as graph values.</summary>
    public static OnnxWindowNorm Fit(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> state, WindowNormalization kind, string window, long targets, long features)
    {
        if (kind == WindowNormalization.None)
            return new(graph, targets, features, null, null, null);
        var x = Targets(graph, window, targets);
        if (kind == WindowNormalization.Last)
            return new(graph, targets, features, graph.Node("Slice", [x, graph.Int64s(-1), graph.Int64s(long.MaxValue), graph.Int64s(1)]), null, null);
        var mean = graph.Node("ReduceMean", [x], OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 1));
        var centred = graph.Node("Sub", [x, mean]);
        var variance = graph.Node("ReduceMean", [graph.Node("Mul", [centred, centred])], OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 1));
        var spread = graph.Node("Sqrt", [graph.Node("Add", [variance, graph.Floats(graph.Fresh("epsilon"), [Epsilon])])]);
        var affine = (graph.Weight("scaler.weight", OnnxRecurrentStack.Find(state, "scaler.weight")), graph.Weight("scaler.bias", OnnxRecurrentStack.Find(state, "scaler.bias")));
        return new(graph, targets, features, mean, spread, affine);
    }

    /// <summary>The window [B, L, F] with its target channels on their own scale.</summary>
    public string Normalize(string window)
    {
        if (_shift is null)
            return window;
        var y = _graph.Node("Sub", [Targets(_graph, window, _targets), _shift]);
        if (_spread is not null)
            y = _graph.Node("Div", [y, _spread]);
        if (_affine is { } a)
            y = _graph.Node("Add", [_graph.Node("Mul", [y, a.Weight]), a.Bias]);
        if (_features == _targets)
            return y;
        var covariates = _graph.Node("Slice", [window, _graph.Int64s(_targets), _graph.Int64s(_features), _graph.Int64s(2)]);
        return _graph.Node("Concat", [y, covariates], OnnxGraph.Int("axis", 2));
    }

    /// <summary>A forecast [B, horizon, targets] back on the window's scale.</summary>
    public string Denormalize(string forecast)
    {
        if (_shift is null)
            return forecast;
        var y = forecast;
        if (_affine is { } a)
        {
            var gain = _graph.Node("Add", [a.Weight, _graph.Floats(_graph.Fresh("epsilon_squared"), [Epsilon * Epsilon])]);
            y = _graph.Node("Div", [_graph.Node("Sub", [y, a.Bias]), gain]);
        }
        if (_spread is not null)
            y = _graph.Node("Mul", [y, _spread]);
        return _graph.Node("Add", [y, _shift]);
    }

    private static string Targets(OnnxGraph graph, string window, long targets)
        => graph.Node("Slice", [window, graph.Int64s(0), graph.Int64s(targets), graph.Int64s(2)]);
}
