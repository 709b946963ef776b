using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>
/// One compared quantity. MaxAbs = max|a − b|; MaxRel = max|a − b| / max|b| (b the reference), a norm-wise relative
/// difference that stays meaningful where single elements are near zero; 0 when both are exactly zero.
/// </summary>
public sealed record ParityRow(string Quantity, double MaxAbs, double MaxRel)
{
    public static ParityRow Of(string quantity, Tensor actual, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to(ScalarType.Float64);
        var b = reference.detach().to(ScalarType.Float64);
        var maxAbs = (a - b).abs().max().item<double>();
        var scale = b.abs().max().item<double>();
        var maxRel = maxAbs == 0 ? 0 : scale == 0 ? double.PositiveInfinity : maxAbs / scale;
        return new ParityRow(quantity, maxAbs, maxRel);
    }
}

/// <summary>All compared quantities of one parity run, with the tolerance they are judged by.</summary>
public sealed record ParityReport(IReadOnlyList<ParityRow> Rows, double Tolerance)
{
    public double WorstRel => Rows.Count == 0 ? 0 : Rows.Max(r => r.MaxRel);

    public bool Passed => Rows.All(r => r.MaxRel <= Tolerance);

    /// <summary>The tolerance this project promises per dtype: 1e-10 relative in float64, 1e-5 in float32.</summary>
    public static double DefaultTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-10 : 1e-5;
}
