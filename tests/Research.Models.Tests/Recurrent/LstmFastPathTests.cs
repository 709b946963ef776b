using Research.Models.Optimization;
using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// The fast backend (hand-derived BPTT in <see cref="LstmOpsLayerFunction"/>) against the readable one and nn.LSTM over
/// random shapes: outputs, h_n, c_n and the gradients of the input, h0, c0 and every parameter agree to 1e-10
/// relative in float64 and 1e-5 in float32, also when the state is carried across two windows.
/// </summary>
public sealed class LstmFastPathTests
{
    public static TheoryData<int, int, bool, string> Cases()
    {
        var data = new TheoryData<int, int, bool, string>();
        foreach (var dtype in new[] { "float64", "float32" })
            foreach (var seq in new[] { 1, 50 })
                foreach (var batch in new[] { 1, 7 })
                    foreach (var withState in new[] { false, true })
                        data.Add(seq, batch, withState, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastEqualsReadableAndNnLstm(int seq, int batch, bool withState, string dtypeName)
    {
        var (readable, fast, dtype, shapeText, _) = Pair(seq, batch, withState, dtypeName);
        var x = randn([seq, batch, readable.InputSize], dtype: dtype);
        (Tensor, Tensor)? state = withState ? RandomState(readable, batch, dtype) : null;

        AssertPassed(LstmParity.Compare(fast, readable, x, state), $"fast vs readable, {shapeText}");

        var reference = LstmParity.ReferenceFor(readable, CPU, dtype);
        ParameterTransfer.Copy(fast, reference);
        AssertPassed(LstmParity.Compare(fast, reference, x, state), $"fast vs nn.LSTM, {shapeText}");

        // Batch-first input reaches the function as a non-contiguous [T, B, in] view.
        var fastBatchFirst = RecurrentStack.Lstm(readable.InputSize, readable.HiddenSize, readable.NumLayers, batchFirst: true, dtype: dtype, backend: RecurrentBackendKind.Fast);
        var referenceBatchFirst = LstmParity.ReferenceFor(fastBatchFirst, CPU, dtype);
        ParameterTransfer.Copy(readable, fastBatchFirst);
        ParameterTransfer.Copy(readable, referenceBatchFirst);
        AssertPassed(LstmParity.Compare(fastBatchFirst, referenceBatchFirst, x.transpose(0, 1), state), $"batch-first fast vs nn.LSTM, {shapeText}");
    }

    public static TheoryData<bool, string> CarryCases() => new()
    {
        { true, "float64" }, { false, "float64" }, { true, "float32" }, { false, "float32" },
    };

    [Theory]
    [MemberData(nameof(CarryCases))]
    public void StateCarriedAcrossTwoWindowsMatches(bool detachBetweenWindows, string dtypeName)
    {
        var (readable, fast, dtype, shapeText, random) = Pair(seq: 13, batch: 5, withState: true, dtypeName);
        var x1 = randn([13, 5, readable.InputSize], dtype: dtype);
        var x2 = randn([random.Next(1, 20), 5, readable.InputSize], dtype: dtype);
        var s0 = RandomState(readable, 5, dtype);

        var expected = TwoWindows(readable, x1, x2, s0, detachBetweenWindows);
        var actual = TwoWindows(fast, x1, x2, s0, detachBetweenWindows);

        var tolerance = ParityReport.DefaultTolerance(dtype);
        Assert.Equal(expected.Keys, actual.Keys);
        var rows = expected.Keys.Select(k => ParityRow.Of(k, actual[k], expected[k])).ToList();
        AssertPassed(new ParityReport(rows, tolerance), $"two windows, detach {detachBetweenWindows}, {shapeText}");

        // Without detaching, window 2's loss must reach window 1's input: its gradient differs from the detached one.
        var other = TwoWindows(fast, x1, x2, s0, !detachBetweenWindows);
        Assert.True(ParityRow.Of("grad x1", other["grad x1"], actual["grad x1"]).MaxRel > 1e-3, "window 2 did not change window 1's input gradient");
    }

    [Fact]
    public void WithoutBiasMatches()
    {
        manual_seed(21);
        var readable = RecurrentStack.Lstm(4, 6, 2, bias: false, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(4, 6, 2, bias: false, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        var x = randn([9, 3, 4], dtype: ScalarType.Float64);
        var report = LstmParity.Compare(fast, readable, x, RandomState(readable, 3, ScalarType.Float64));
        Assert.True(report.Passed, string.Join("; ", report.Rows.Select(r => $"{r.Quantity}: {r.MaxRel:E2}")));
    }

    [Fact]
    public void InferenceWithoutGradWorksAndRecordsNothing()
    {
        manual_seed(4);
        var readable = RecurrentStack.Lstm(5, 7, 2, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(5, 7, 2, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        var x = randn([11, 3, 5]);
        using var noGrad = no_grad();
        var (expected, (h, c)) = readable.call(x);
        var (actual, (hf, cf)) = fast.call(x);
        Assert.False(actual.requires_grad);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(hf.allclose(h, rtol: 1e-5, atol: 1e-6) && cf.allclose(c, rtol: 1e-5, atol: 1e-6));
    }

    public static TheoryData<RecurrentBackendKind, string> FrozenCases() => new()
    {
        { RecurrentBackendKind.Fast, "float64" }, { RecurrentBackendKind.Fast, "float32" }, { RecurrentBackendKind.Kernel, "float32" },
    };

    [Theory]
    [MemberData(nameof(FrozenCases))]
    public void FrozenWeightsGetNoGradientAndTheOthersStillMatch(RecurrentBackendKind backend, string dtypeName)
    {
        // The hand-derived backward skips a frozen weight's product; the gradients it does return must not change.
        string[] frozen = ["weight_ih_l0", "bias_hh_l0", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"];
        var gradients = GradientsWithFrozenWeights(backend, dtypeName, layers: 2, trainable: name => !frozen.Contains(name), inputNeedsGradient: true);
        Assert.Equal(4, gradients.Count(g => g.Value is not null)); // three weights and the input
    }

    [Theory]
    [MemberData(nameof(FrozenCases))]
    public void FrozenLowerLayersAndAnInputWithoutGradientRunOnlyTheLayersAbove(RecurrentBackendKind backend, string dtypeName)
    {
        // The stack is one autograd node: its backward stops at the lowest layer with a weight that wants a gradient.
        var gradients = GradientsWithFrozenWeights(backend, dtypeName, layers: 3,
            trainable: name => name.EndsWith("_l2", StringComparison.Ordinal) || name == "weight_hh_l1", inputNeedsGradient: false);
        Assert.Equal(5, gradients.Count(g => g.Value is not null)); // layer 2's four and layer 1's weight_hh
    }

    // The readable stack's gradients (its parameters', and "input" where it needs one) with only the trainable
    // parameters requiring a gradient, after checking that the backend's are null in the same places and equal elsewhere.
    private static Dictionary<string, Tensor?> GradientsWithFrozenWeights(RecurrentBackendKind backend, string dtypeName, int layers,
        Func<string, bool> trainable, bool inputNeedsGradient)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        manual_seed(17);
        var readable = RecurrentStack.Lstm(5, 9, layers, dtype: dtype, backend: RecurrentBackendKind.Readable);
        var explicitStack = RecurrentStack.Lstm(5, 9, layers, dtype: dtype, backend: backend);
        ParameterTransfer.Copy(readable, explicitStack);
        var x = randn([11, 4, 5], dtype: dtype);
        Dictionary<string, Tensor?> Gradients(RecurrentStack stack)
        {
            foreach (var (name, parameter) in stack.named_parameters())
                parameter.requires_grad_(trainable(name));
            using var input = x.detach().requires_grad_(inputNeedsGradient);
            var (y, (h, c)) = stack.call(input);
            y.mul(y).sum().Plus(h.sum()).Plus(c.sum()).backward();
            var grads = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone());
            grads["input"] = input.grad?.clone();
            return grads;
        }
        var expected = Gradients(readable);
        var actual = Gradients(explicitStack);
        var tolerance = ParityReport.DefaultTolerance(dtype);
        foreach (var (name, grad) in expected)
        {
            Assert.Equal(grad is null, actual[name] is null);
            if (grad is null)
                continue;
            var row = ParityRow.Of(name, actual[name]!, grad);
            Assert.True(row.MaxRel <= tolerance, $"{backend}, {dtypeName}: {name} {row.MaxRel:E2} > {tolerance:E0}");
        }
        return expected;
    }

    [Fact]
    public void TrainingStepsInADisposeScopeLeaveNoLiveTensors()
    {
        manual_seed(5);
        var fast = RecurrentStack.Lstm(4, 6, 2, backend: RecurrentBackendKind.Fast);
        using var optimizer = new Sgd(fast.parameters(), 0.1);
        var x = randn([10, 3, 4]);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var (y, (h, c)) = fast.call(x);
            y.mul(y).sum().Plus(h.sum()).Plus(c.sum()).backward();
            optimizer.Step();
        }
        // This thread's own count (Tensor.TotalCount is process-wide and other test classes run in parallel). A graph
        // freed by the finalizer is counted on that thread, so allow a little slack; a leak grows with every step.
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        for (var k = 0; k < 5; k++)
            Step();
        var before = statistics.ThreadTotalLiveCount;
        for (var k = 0; k < 100; k++)
            Step();
        Assert.InRange(statistics.ThreadTotalLiveCount - before, -20, 20);
    }

    private static (RecurrentStack readable, RecurrentStack fast, ScalarType dtype, string shapeText, Random random) Pair(int seq, int batch, bool withState, string dtypeName)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var seed = HashCode.Combine(seq, batch, withState, dtypeName, "fast") & 0x7fffffff;
        var random = new Random(seed);
        var (layers, hidden, input) = (random.Next(1, 4), random.Next(1, 34), random.Next(1, 18));
        manual_seed(seed);
        var readable = RecurrentStack.Lstm(input, hidden, layers, dtype: dtype, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(input, hidden, layers, dtype: dtype, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(readable, fast);
        return (readable, fast, dtype, $"layers {layers}, hidden {hidden}, input {input}, seq {seq}, batch {batch}, state {withState}, {dtypeName}", random);
    }

    private static (Tensor h, Tensor c) RandomState(RecurrentStack lstm, long batch, ScalarType dtype)
        => (randn([lstm.NumLayers, batch, lstm.HiddenSize], dtype: dtype), randn([lstm.NumLayers, batch, lstm.HiddenSize], dtype: dtype));

    /// <summary>Window 1 then window 2 from window 1's final state; one loss over both windows' outputs.</summary>
    private static Dictionary<string, Tensor> TwoWindows(RecurrentStack lstm, Tensor x1, Tensor x2, (Tensor h, Tensor c) s0, bool detach)
    {
        lstm.zero_grad();
        var a = x1.detach().clone().requires_grad_();
        var b = x2.detach().clone().requires_grad_();
        var (h0, c0) = (s0.h.detach().clone().requires_grad_(), s0.c.detach().clone().requires_grad_());
        var (y1, (h1, c1)) = lstm.call(a, (h0, c0));
        if (detach)
            (h1, c1) = (h1.detach(), c1.detach());
        var (y2, (h2, c2)) = lstm.call(b, (h1, c1));
        using var generator = new Generator(7);
        Tensor Probe(Tensor like) => randn(like.shape, dtype: like.dtype, generator: generator);
        (y1 * Probe(y1)).sum().Plus((y2 * Probe(y2)).sum()).Plus((h2 * Probe(h2)).sum()).Plus((c2 * Probe(c2)).sum()).backward();

        var results = new Dictionary<string, Tensor>
        {
            ["y1"] = y1,
            ["y2"] = y2,
            ["h2"] = h2,
            ["c2"] = c2,
            ["grad x1"] = a.grad!.clone(),
            ["grad x2"] = b.grad!.clone(),
            ["grad h0"] = h0.grad!.clone(),
            ["grad c0"] = c0.grad!.clone(),
        };
        foreach (var (name, p) in lstm.named_parameters())
            results[$"grad {name}"] = p.grad!.clone();
        return results;
    }

    private static void AssertPassed(ParityReport report, string what)
    {
        var failures = report.Rows.Where(r => !(r.MaxRel <= report.Tolerance)).Select(r => $"{r.Quantity}: rel {r.MaxRel:E2}");
        Assert.True(report.Passed, $"{what}: {string.Join("; ", failures)}");
        Assert.Contains(report.Rows, r => r.Quantity == "grad weight_hh_l0");
    }
}
