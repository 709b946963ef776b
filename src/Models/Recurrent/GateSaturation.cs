using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// How often each unit's gate is saturated over a traced sequence (Karpathy et al. 2015, Fig. 3): the fraction of
/// steps (over time and batch) with the gate below <see cref="LeftThreshold"/> (left-saturated, nearly closed) and
/// above <see cref="RightThreshold"/> (right-saturated, nearly open). A gate a variant removes is 1 everywhere, so
/// it reads as fully right-saturated.
/// </summary>
/// <param name="Layer">The traced layer's name, e.g. "layer 0" or "layer 0 reverse".</param>
/// <param name="Gate">"input", "forget" or "output".</param>
/// <param name="Left">Per unit, the fraction of steps with the gate &lt; 0.1.</param>
/// <param name="Right">Per unit, the fraction of steps with the gate &gt; 0.9.</param>
public sealed record GateSaturation(string Layer, string Gate, double[] Left, double[] Right)
{
    public const double LeftThreshold = 0.1;
    public const double RightThreshold = 0.9;

    /// <summary>The three sigmoid gates of every traced layer, in layer order then input, forget, output.</summary>
    public static IReadOnlyList<GateSaturation> Of(LstmTrace trace)
    {
        var result = new List<GateSaturation>();
        foreach (var layer in trace.Layers)
        {
            result.Add(Of(layer.Name, "input", layer.I));
            result.Add(Of(layer.Name, "forget", layer.F));
            result.Add(Of(layer.Name, "output", layer.O));
        }
        return result;
    }

    /// <summary>gate: [T, B, H] values in [0, 1].</summary>
    public static GateSaturation Of(string layer, string gate, Tensor values)
    {
        using var scope = NewDisposeScope();
        var perUnit = values.reshape(-1, values.shape[^1]).to(ScalarType.Float64);
        using var left = LeftThreshold.ToScalar();
        using var right = RightThreshold.ToScalar();
        double[] Fraction(Tensor mask) => mask.to(ScalarType.Float64).mean([0L]).data<double>().ToArray();
        return new GateSaturation(layer, gate, Fraction(perUnit.lt(left)), Fraction(perUnit.gt(right)));
    }

    /// <summary>Mean over units of the left-saturated fraction.</summary>
    public double MeanLeft => Left.Average();

    /// <summary>Mean over units of the right-saturated fraction.</summary>
    public double MeanRight => Right.Average();

    /// <summary>Units that are left-saturated more than half of the time.</summary>
    public int UnitsMostlyLeft => Left.Count(v => v > 0.5);

    /// <summary>Units that are right-saturated more than half of the time.</summary>
    public int UnitsMostlyRight => Right.Count(v => v > 0.5);
}
