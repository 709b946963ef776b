using Research.Models.Parity;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Parity;

/// <summary>
/// The random-shape parity cases shared by the GRU and RNN tests, and the both-ways weight copy they run. Seeds are
/// derived from the case, not from HashCode (randomised per process), so a failure reproduces.
/// </summary>
public static class ParityCases
{
    /// <summary>dtype × seq {1, 50} × batch {1, 7} × batch-first both ways × with and without h0.</summary>
    public static TheoryData<int, int, bool, bool, string> Cases()
    {
        var data = new TheoryData<int, int, bool, bool, string>();
        foreach (var dtype in new[] { "float64", "float32" })
            foreach (var seq in new[] { 1, 50 })
                foreach (var batch in new[] { 1, 7 })
                    foreach (var batchFirst in new[] { false, true })
                        foreach (var withState in new[] { false, true })
                            data.Add(seq, batch, batchFirst, withState, dtype);
        return data;
    }

    public sealed record Case(long Seed, ScalarType Dtype, long Layers, long Hidden, long Input, Tensor X, Tensor? H0)
    {
        public override string ToString() => $"seed {Seed}, layers {Layers}, hidden {Hidden}, input {Input}, x [{string.Join(", ", X.shape)}], h0 {H0 is not null}";
    }

    /// <summary>Layers 1–3, hidden 1–33, input 1–17 drawn from the case's seed; the input and h0 drawn after manual_seed.</summary>
    public static Case Draw(int seq, int batch, bool batchFirst, bool withState, string dtypeName, int salt)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var seed = salt + (seq * 1000) + (batch * 100) + (batchFirst ? 10 : 0) + (withState ? 1 : 0) + (dtype == ScalarType.Float32 ? 50_000 : 0);
        var random = new Random(seed);
        var (layers, hidden, input) = (random.Next(1, 4), random.Next(1, 34), random.Next(1, 18));
        manual_seed(seed);
        long[] shape = batchFirst ? [batch, seq, input] : [seq, batch, input];
        var x = randn(shape, dtype: dtype);
        var h0 = withState ? randn([layers, batch, hidden], dtype: dtype) : null;
        return new Case(seed, dtype, layers, hidden, input, x, h0);
    }

    /// <summary>Ours → a fresh reference, compare; then a second reference's own initialisation → ours, compare.</summary>
    public static void AssertBothWays<TOurs, TReference>(TOurs ours, Func<TReference> makeReference,
        Func<TOurs, TReference, ParityReport> compare, string what)
        where TOurs : nn.Module
        where TReference : nn.Module
    {
        var reference = makeReference();
        ParameterTransfer.Copy(ours, reference);
        AssertPassed(compare(ours, reference), $"explicit→reference, {what}");

        var fresh = makeReference();
        ParameterTransfer.Copy(fresh, ours);
        AssertPassed(compare(ours, fresh), $"reference→explicit, {what}");
    }

    public static void AssertPassed(ParityReport report, string what)
    {
        var failures = report.Rows.Where(r => !(r.MaxRel <= report.Tolerance)).Select(r => $"{r.Quantity}: rel {r.MaxRel:E2}");
        Assert.True(report.Passed, $"{what}: {string.Join("; ", failures)}");
        Assert.Contains(report.Rows, r => r.Quantity == "grad weight_hh_l0");
        Assert.Contains(report.Rows, r => r.Quantity == "grad input");
    }
}
