using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// The fast Lstm with its step loops in <see cref="LstmStepKernel"/> against the same fast Lstm with the loops in
/// libtorch ops, float32: outputs, h_n, c_n and every gradient within float32 rounding (1e-5 of the largest value),
/// over hidden sizes around the kernel's blocks of 8 and 24 units, odd and even batches, and saturated gates.
/// </summary>
public sealed class LstmStepKernelTests
{
    [Fact]
    public void TheKernelRunsOnThisMachine()
    {
        // Without AVX2 and FMA every other test here would compare the libtorch loop with itself.
        Assert.True(LstmStepKernel.IsSupported, "this CPU lacks AVX2 or FMA: the step kernel cannot run");
        Assert.True(LstmStepKernel.AppliesTo(zeros(1)));
        Assert.False(LstmStepKernel.AppliesTo(zeros([1], dtype: ScalarType.Float64)));
    }

    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        // hidden: below, at and past one block of 8 (forward) and 24 (backward), and several blocks with a tail.
        foreach (var hidden in new[] { 1, 7, 8, 13, 17, 24, 25, 50 })
            foreach (var batch in new[] { 1, 2, 3, 5, 8 })
                data.Add(hidden, batch, hidden % 3 + 1, batch % 2 == 0 ? 17 : 4, (hidden + batch) % 2 == 0);
        data.Add(1, 1, 1, 1, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelEqualsTheLibtorchLoop(int hidden, int batch, int layers, int seq, bool withState)
    {
        var (kernel, loop) = Pair(input: 5, hidden, layers, seed: hidden * 100 + batch);
        var x = randn([seq, batch, 5]);
        (Tensor, Tensor)? state = withState ? (randn([layers, batch, hidden]), randn([layers, batch, hidden])) : null;
        AssertPassed(LstmParity.Compare(kernel, loop, x, state), $"hidden {hidden}, batch {batch}, layers {layers}, seq {seq}, state {withState}");
    }

    [Fact]
    public void SaturatedGatesMatch()
    {
        // Large pre-activations drive σ and tanh to 0, 1 and ±1, where the kernel's exp overflows to infinity.
        var (kernel, loop) = Pair(input: 6, hidden: 19, layers: 2, seed: 3);
        var x = randn([12, 3, 6]).mul_(40);
        AssertPassed(LstmParity.Compare(kernel, loop, x, null), "inputs scaled by 40");
    }

    [Fact]
    public void SplittingTheBlocksBetweenThreadsMatches()
    {
        // Hidden 70: 9 forward and 5 backward blocks, so two threads each take a share.
        var (kernel, loop) = Pair(input: 9, hidden: 70, layers: 1, seed: 11);
        var x = randn([15, 6, 9]);
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = LstmParity.Compare(kernel, loop, x, null);
            set_num_threads(Math.Max(2, threads));
            var several = LstmParity.Compare(kernel, loop, x, null);
            AssertPassed(one, "1 thread");
            AssertPassed(several, "several threads");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static (RecurrentStack kernel, RecurrentStack loop) Pair(int input, int hidden, int layers, int seed)
    {
        manual_seed(seed);
        var kernel = RecurrentStack.Lstm(input, hidden, layers, backend: RecurrentBackendKind.Kernel);
        var loop = RecurrentStack.Lstm(input, hidden, layers, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(kernel, loop);
        return (kernel, loop);
    }

    private static void AssertPassed(ParityReport report, string what) =>
        Assert.True(report.Passed, $"{what}: " + string.Join("; ", report.Rows.Where(r => r.MaxRel > report.Tolerance).Select(r => $"{r.Quantity}: {r.MaxRel:E2}")));
}
