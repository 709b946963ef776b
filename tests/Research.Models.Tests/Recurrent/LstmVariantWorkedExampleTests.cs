using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// One step of each <see cref="LstmVariant"/> (in = 3, H = 2, B = 2, float64, every parameter random and non-zero,
/// the variant's own included) against <see cref="HandLstm"/>, the equations in System.Math.
/// </summary>
public sealed class LstmVariantWorkedExampleTests
{
    public static TheoryData<string> VariantNames() => new(Variants.Keys);

    private static readonly Dictionary<string, LstmVariant> Variants = new()
    {
        ["standard"] = LstmVariant.Standard,
        ["peephole"] = new() { Peephole = true },
        ["cifg"] = new() { CoupledInputForget = true },
        ["no forget gate"] = new() { NoForgetGate = true },
        ["no input gate"] = new() { NoInputGate = true },
        ["no output gate"] = new() { NoOutputGate = true },
        ["no input activation"] = new() { NoInputActivation = true },
        ["no output activation"] = new() { NoOutputActivation = true },
        ["forget bias"] = new() { ForgetBias = 1.0 },
        ["projection"] = new() { ProjectionSize = 1 },
        ["layer norm"] = new() { LayerNorm = true },
        ["peephole + layer norm + projection"] = new() { Peephole = true, LayerNorm = true, ProjectionSize = 1 },
    };

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void OneStepMatchesTheEquationsComputedByHand(string name)
    {
        manual_seed(17);
        var lstm = RecurrentStack.Lstm(3, 2, dtype: ScalarType.Float64, variant: Variants[name], backend: RecurrentBackendKind.Readable);
        using (no_grad())
        {
            // Peepholes start at 0 and LN gains at 1: draw every parameter so each one's role is exercised.
            foreach (var (_, p) in lstm.named_parameters())
                p.uniform_(-0.9, 0.9);
        }
        var x = randn([2, 3], dtype: ScalarType.Float64);
        var h = randn([2, lstm.OutputSize], dtype: ScalarType.Float64);
        var c = randn([2, 2], dtype: ScalarType.Float64);

        var (expectedH, expectedC, _) = HandLstm.Step(lstm, HandLstm.Matrix(x), HandLstm.Matrix(h), HandLstm.Matrix(c));
        var (output, (hN, cN)) = lstm.call(x.unsqueeze(0), (h.unsqueeze(0), c.unsqueeze(0)));

        Assert.Equal([1L, 2L, lstm.OutputSize], output.shape);
        var actualH = HandLstm.Matrix(hN[0]);
        var actualC = HandLstm.Matrix(cN[0]);
        for (var b = 0; b < 2; b++)
        {
            for (var u = 0; u < 2; u++)
                Assert.Equal(expectedC[b, u], actualC[b, u], 13);
            for (var u = 0; u < lstm.OutputSize; u++)
                Assert.Equal(expectedH[b, u], actualH[b, u], 13);
        }
    }

    [Fact]
    public void PeepholeWithZeroPeepholeWeightsIsTheStandardCell()
    {
        manual_seed(3);
        var standard = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var peephole = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: new() { Peephole = true }, backend: RecurrentBackendKind.Readable);
        CopyShared(standard, peephole);
        Assert.All(peephole.named_parameters().Where(p => p.name.StartsWith("weight_c", StringComparison.Ordinal)),
            p => Assert.Equal(0.0, p.parameter.abs().max().item<double>()));
        AssertSameRun(standard, peephole);
    }

    [Fact]
    public void ForgetBiasZeroIsTheStandardInitialisationAndOneShiftsOnlyBiasIhForgetBlock()
    {
        manual_seed(8);
        var standard = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        manual_seed(8);
        var zero = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: new() { ForgetBias = 0.0 }, backend: RecurrentBackendKind.Readable);
        manual_seed(8);
        var one = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: new() { ForgetBias = 1.0 }, backend: RecurrentBackendKind.Readable);

        using var bias = 1.0.ToScalar();
        foreach (var (name, p) in standard.named_parameters())
        {
            Assert.True(p.allclose(zero.get_parameter(name)!, rtol: 0, atol: 0), name);
            var shift = one.get_parameter(name)! - p;
            var expected = zeros_like(p);
            if (name.StartsWith("bias_ih", StringComparison.Ordinal))
                expected.narrow(0, 4, 4).fill_(bias);
            Assert.True(shift.allclose(expected, rtol: 0, atol: 1e-15), name);
        }
        Assert.Throws<ArgumentException>(() => RecurrentStack.Lstm(3, 4, bias: false, variant: new() { ForgetBias = 1.0 }, backend: RecurrentBackendKind.Readable));
    }

    [Fact]
    public void GateVariantsDifferFromTheStandardCellAsTheirEquationsSay()
    {
        manual_seed(5);
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);
        var standard = TracedLstm.Of(RecurrentStack.Lstm(3, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable));
        var standardOutput = standard.call(x).output;
        using var unit = 1.0.ToScalar();
        foreach (var (name, variant) in Variants.Where(kv => kv.Value.ChangesStep && kv.Value.ProjectionSize == 0))
        {
            var lstm = TracedLstm.Of(RecurrentStack.Lstm(3, 2, dtype: ScalarType.Float64, variant: variant, backend: RecurrentBackendKind.Readable));
            CopyShared(standard, lstm);
            var output = lstm.call(x).output;
            var trace = lstm.Trace!.Layers[0];
            if (variant.CoupledInputForget)
                Assert.True(trace.F.allclose(ones_like(trace.I) - trace.I, rtol: 0, atol: 1e-15), name);
            if (variant.NoForgetGate)
                Assert.True(trace.F.eq(unit).all().item<bool>(), name);
            if (variant.NoInputGate)
                Assert.True(trace.I.eq(unit).all().item<bool>(), name);
            if (variant.NoOutputGate)
                Assert.True(trace.O.eq(unit).all().item<bool>(), name);
            if (variant.Peephole)
                continue; // zero peepholes: equal to the standard cell (tested above)
            Assert.False(output.allclose(standardOutput, rtol: 1e-6, atol: 1e-9), $"{name} computed the standard cell");
        }
    }

    [Fact]
    public void ContradictoryOrOutOfRangeVariantsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => RecurrentStack.Lstm(3, 4, variant: new() { CoupledInputForget = true, NoForgetGate = true }, backend: RecurrentBackendKind.Readable));
        Assert.Throws<ArgumentException>(() => RecurrentStack.Lstm(3, 4, variant: new() { ProjectionSize = 4 }, backend: RecurrentBackendKind.Readable));
        Assert.Equal("peephole+cifg", new LstmVariant { Peephole = true, CoupledInputForget = true }.ToString());
        Assert.Equal("standard", LstmVariant.Standard.ToString());
    }

    [Fact]
    public void ProjectionHasNnLstmsProjSizeLayout()
    {
        var lstm = RecurrentStack.Lstm(5, 6, 2, variant: new() { ProjectionSize = 3, Bidirectional = true }, backend: RecurrentBackendKind.Readable);
        var shapes = lstm.named_parameters().ToDictionary(p => p.name, p => string.Join("x", p.parameter.shape));
        Assert.Equal("24x5", shapes["weight_ih_l0"]);
        Assert.Equal("24x3", shapes["weight_hh_l0"]);
        Assert.Equal("3x6", shapes["weight_hr_l0"]);
        Assert.Equal("24x6", shapes["weight_ih_l1_reverse"]);
        Assert.Equal("3x6", shapes["weight_hr_l1_reverse"]);
        var (output, (h, c)) = lstm.call(randn([7, 2, 5]));
        Assert.Equal([7L, 2L, 6L], output.shape);
        Assert.Equal([4L, 2L, 3L], h.shape);
        Assert.Equal([4L, 2L, 6L], c.shape);
    }

    private static void CopyShared(RecurrentStack from, RecurrentStack to)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in from.named_parameters())
            to.get_parameter(name)!.copy_(p);
    }

    private static void AssertSameRun(RecurrentStack expected, RecurrentStack actual)
    {
        var x = randn([5, 3, expected.InputSize], dtype: ScalarType.Float64);
        var (y1, (h1, c1)) = expected.call(x);
        var (y2, (h2, c2)) = actual.call(x);
        // Not bit-equal: sigmoid of a contiguous sum and of a strided chunk may round differently in the last bit.
        Assert.True(y1.allclose(y2, rtol: 1e-13, atol: 1e-15) && h1.allclose(h2, rtol: 1e-13, atol: 1e-15) && c1.allclose(c2, rtol: 1e-13, atol: 1e-15));
    }
}
