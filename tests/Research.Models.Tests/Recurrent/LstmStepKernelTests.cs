using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// The kernel backend (step loops in <see cref="LstmStepKernel"/>) against the fast backend (the loops in
/// libtorch ops), float32: outputs, h_n, c_n and every gradient within float32 rounding (1e-5 of the largest value),
/// over hidden sizes around the kernel's blocks (8 and 24 units at 256 bits, 16 and 48 at 512), odd and even batches and
/// saturated gates, at each vector width forced in turn. A width this CPU lacks must be refused, and the case asserts that.
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

    public static TheoryData<int> Widths() => [256, 512];

    public static TheoryData<int, int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, bool>();
        // hidden: below, at and past one block of 8 / 16 (forward) and 24 / 48 (backward), and several blocks with a tail.
        foreach (var width in new[] { 256, 512 })
        {
            foreach (var hidden in new[] { 1, 7, 8, 13, 16, 17, 24, 25, 33, 49, 50 })
                foreach (var batch in new[] { 1, 2, 3, 5, 8 })
                    data.Add(width, hidden, batch, hidden % 3 + 1, batch % 2 == 0 ? 17 : 4, (hidden + batch) % 2 == 0);
            data.Add(width, 1, 1, 1, 1, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelEqualsTheLibtorchLoop(int width, int hidden, int batch, int layers, int seq, bool withState) => KernelWidth.At(width, () =>
    {
        var (kernel, loop) = Pair(input: 5, hidden, layers, seed: hidden * 100 + batch);
        var x = randn([seq, batch, 5]);
        (Tensor, Tensor)? state = withState ? (randn([layers, batch, hidden]), randn([layers, batch, hidden])) : null;
        AssertPassed(LstmParity.Compare(kernel, loop, x, state), $"{width} bits, hidden {hidden}, batch {batch}, layers {layers}, seq {seq}, state {withState}");
    });

    // (forward, backward) row limits at each width, with the units split and then the rows split.
    public static TheoryData<int, int, int, bool> WidthsRowGroupsAndSplits() => KernelWidth.EveryWidthAndFlag((5, 5), (3, 4), (2, 1));

    [Theory]
    [MemberData(nameof(WidthsRowGroupsAndSplits))]
    public void EveryRowGroupAndSplitEqualsTheLibtorchLoop(int width, int forward, int backward, bool splitRows) => KernelWidth.At(width, () =>
    {
        // The defaults are (5, 5) with AVX-512 and (3, 4) without; (2, 1) reaches the one- and two-row groups. Batches
        // 1 to 13 cut into groups of every size from 1 to 5, whole or shared between threads, with units split between
        // threads or rows.
        var (rowsBefore, splitBefore) = (LstmStepKernel.RowGroups, LstmStepKernel.ForcedRowSplit);
        try
        {
            LstmStepKernel.UseRowGroups(forward, backward);
            LstmStepKernel.ForcedRowSplit = splitRows;
            foreach (var batch in Enumerable.Range(1, 13))
            {
                var hidden = batch % 2 == 0 ? 17 : 50;
                var (kernel, loop) = Pair(input: 5, hidden, layers: 2, seed: hidden + batch);
                var x = randn([5, batch, 5]);
                AssertPassed(LstmParity.Compare(kernel, loop, x, (randn([2, batch, hidden]), randn([2, batch, hidden]))),
                    $"{width} bits, row groups ({forward}, {backward}), {(splitRows ? "rows" : "units")} split, hidden {hidden}, batch {batch}");
            }
        }
        finally
        {
            LstmStepKernel.UseRowGroups(rowsBefore.Forward, rowsBefore.Backward);
            LstmStepKernel.ForcedRowSplit = splitBefore;
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmStepKernel.UseRowGroups(6, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmStepKernel.UseRowGroups(3, 0));
    });

    public static TheoryData<int, bool> WidthsAndSplits() => new() { { 256, false }, { 256, true }, { 512, false }, { 512, true } };

    [Theory]
    [MemberData(nameof(WidthsAndSplits))]
    public void ChunksOfTheProductMatchAndKeepTheSums(int width, bool splitRows) => KernelWidth.At(width, () =>
    {
        // 1 KB chunks cut hidden 50's k loop into many, forward (4 or 8 k a chunk) and backward; the sum over k runs in the
        // same order whatever the chunk, so the results equal the default chunks' bit for bit.
        Assert.Equal(LstmStepKernel.DefaultChunkBytes, LstmStepKernel.ChunkBytes);
        Assert.True(LstmStepKernel.ChunkBytes >= 64 << 10, $"default chunk {LstmStepKernel.ChunkBytes} bytes: a quarter of L2 is 64 KB at least");
        var (chunkBefore, splitBefore) = (LstmStepKernel.ChunkBytes, LstmStepKernel.ForcedRowSplit);
        try
        {
            LstmStepKernel.ForcedRowSplit = splitRows;
            var (kernel, loop) = Pair(input: 5, hidden: 50, layers: 2, seed: 21);
            var x = randn([6, 7, 5]);
            (Tensor Y, Tensor DX) Run()
            {
                using var input = x.detach().requires_grad_(true);
                var (y, _) = kernel.call(input, null);
                y.sum().backward();
                return (y.detach(), input.grad!.clone());
            }
            var whole = Run();
            LstmStepKernel.UseChunkBytes(1024);
            AssertPassed(LstmParity.Compare(kernel, loop, x, null), $"{width} bits, 1 KB chunks, {(splitRows ? "rows" : "units")} split");
            var chunked = Run();
            Assert.True(whole.Y.eq(chunked.Y).all().item<bool>(), "outputs changed with the chunk size");
            Assert.True(whole.DX.eq(chunked.DX).all().item<bool>(), "input gradients changed with the chunk size");
        }
        finally
        {
            LstmStepKernel.UseChunkBytes(chunkBefore);
            LstmStepKernel.ForcedRowSplit = splitBefore;
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmStepKernel.UseChunkBytes(512));
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public void StreamedPanelsMatchAndKeepTheSums(int width) => KernelWidth.At(width, () =>
    {
        // The units split's streamed passes (by default only where W_hh's panels outgrow 32 MB) forced at hidden 17 and
        // 50, tails at either width: batches 1 to 23 make groups of every size from 1 to 20 and then two groups. The sum
        // over k runs in the same order as the chunked passes', so outputs and every gradient equal theirs bit for bit.
        Assert.False(LstmStepKernel.StreamsPanels(1000, 20), "hidden 1000's panels (16 MB) stay in L3: no streams by default");
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, LstmStepKernel.StreamsPanels(1500, 20));
        var (splitBefore, streamBefore) = (LstmStepKernel.ForcedRowSplit, LstmStepKernel.ForcedStreaming);
        try
        {
            LstmStepKernel.ForcedRowSplit = false;
            foreach (var batch in Enumerable.Range(1, 23))
            {
                var hidden = batch % 2 == 0 ? 17 : 50;
                var (kernel, loop) = Pair(input: 5, hidden, layers: 2, seed: 31 + batch);
                var x = randn([6, batch, 5]);
                var state = (randn([2, batch, hidden]), randn([2, batch, hidden]));
                var what = $"{width} bits, streamed, hidden {hidden}, batch {batch}";
                LstmStepKernel.ForcedStreaming = true;
                Assert.True(LstmStepKernel.StreamsPanels(hidden, batch) || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported, what);
                AssertPassed(LstmParity.Compare(kernel, loop, x, state), what);
                var streamed = Run(kernel, x, state);
                LstmStepKernel.ForcedStreaming = false;
                var chunked = Run(kernel, x, state);
                foreach (var (name, value) in chunked)
                    Assert.True(value.eq(streamed[name]).all().item<bool>(), $"{what}: {name} differs from the chunked passes'");
            }
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = splitBefore;
            LstmStepKernel.ForcedStreaming = streamBefore;
        }

        // The output, h_n, c_n and the gradients of every parameter, the input and the initial state.
        static Dictionary<string, Tensor> Run(RecurrentStack stack, Tensor x, (Tensor H, Tensor C) state)
        {
            using var input = x.detach().requires_grad_(true);
            using var h0 = state.H.detach().requires_grad_(true);
            using var c0 = state.C.detach().requires_grad_(true);
            stack.zero_grad();
            var (y, next) = stack.call(input, new RecurrentState(h0, c0));
            using var end = (y.numel() + 1).ToScalar();
            y.mul(arange(HeldScalars.One, end, HeldScalars.One, dtype: y.dtype).view(y.shape)).sum().Plus(next.H.sum()).Plus(next.C!.sum()).backward();
            var values = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            (values["y"], values["h_n"], values["c_n"]) = (y.detach().clone(), next.H.detach().clone(), next.C!.detach().clone());
            (values["x"], values["h0"], values["c0"]) = (input.grad!.clone(), h0.grad!.clone(), c0.grad!.clone());
            return values;
        }
    });

    [Theory]
    [MemberData(nameof(WidthsAndSplits))]
    public void TheBackwardOnlyReadsTheIncomingGradientAndAddsDhNAtTheLastStep(int width, bool splitRows) => KernelWidth.At(width, () =>
    {
        // Hidden 50 ends in a part-filled vector at either width: with the rows split, W_hh's rows are read in place, and
        // the tail's loads must stop at H. dy must come back untouched (the layer above may hold it), and dh_n given
        // apart must equal dy with dh_n added at the last step, bit for bit (one float addition either way).
        var splitBefore = LstmStepKernel.ForcedRowSplit;
        try
        {
            LstmStepKernel.ForcedRowSplit = splitRows;
            var (steps, batch, hidden) = (5, 7, 50);
            manual_seed(23);
            using var scale = 0.2.ToScalar();
            var weightHh = randn([4 * hidden, hidden]).mul_(scale);
            var gates = randn([steps, batch, 4 * hidden]);
            var cells = zeros([steps + 1, batch, hidden]);
            LstmStepKernel.RunForward(gates, zeros([batch, hidden]), cells, empty([steps, batch, hidden]), weightHh);
            var (dY, dHN, dCN) = (randn([steps, batch, hidden]), randn([batch, hidden]), randn([batch, hidden]));
            var dYBefore = dY.clone();
            Tensor Backward(Tensor dy, Tensor? dhN)
            {
                var dGates = empty_like(gates);
                LstmStepKernel.RunBackward(dGates, dy, dCN.clone(), gates, cells, weightHh, dhN);
                return dGates;
            }
            var apart = Backward(dY, dHN);
            Assert.True(dY.eq(dYBefore).all().item<bool>(), "the backward wrote into dy");
            Assert.True(apart.eq(Backward(dY, dHN)).all().item<bool>(), "a second backward on the same dy gave other dA");
            var folded = dY.clone();
            folded[steps - 1].PlusInPlace(dHN);
            Assert.True(apart.eq(Backward(folded, null)).all().item<bool>(), "dh_n given apart differs from dh_n added into dy");
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = splitBefore;
        }
    });

    public static TheoryData<int, bool, bool> WidthsSplitsAndStreams()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (var width in new[] { 256, 512 })
        {
            data.Add(width, true, false);
            data.Add(width, false, false);
            data.Add(width, false, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsSplitsAndStreams))]
    public void GatesPickedFromDistinctRowsEqualGatesWrittenOut(int width, bool splitRows, bool streams) => KernelWidth.At(width, () =>
    {
        // The forward given the input products as distinct rows and their index copies each step's gates from them as
        // it starts the step: the activations, cells and outputs equal those of the gates written out first, bit for
        // bit, with the rows or the units split, streamed or not, hidden sizes with tails at either width, the bias
        // added by the steps or not, and an index that is a transposed (batch-first) view.
        var (splitBefore, streamBefore) = (LstmStepKernel.ForcedRowSplit, LstmStepKernel.ForcedStreaming);
        try
        {
            LstmStepKernel.ForcedRowSplit = splitRows;
            LstmStepKernel.ForcedStreaming = streams;
            foreach (var (hidden, batch, withBias) in new[] { (50, 7, true), (17, 20, false), (16, 13, true) })
            {
                manual_seed(hidden + batch);
                using var scale = 0.2.ToScalar();
                var steps = 6;
                var weightHh = randn([4 * hidden, hidden]).mul_(scale);
                var bias = withBias ? randn([4 * hidden]) : null;
                var rows = randn([9, 4 * hidden]);
                var index = randint(8, [batch, steps], dtype: ScalarType.Int64).t();
                var h0 = randn([batch, hidden]);
                var c0 = randn([batch, hidden]);
                (Tensor Gates, Tensor Cells, Tensor Output) Run(IndexedSequence? gateRows)
                {
                    var gates = gateRows is null ? rows.index_select(0, index.flatten()).view(steps, batch, 4 * hidden) : empty([steps, batch, 4 * hidden]);
                    var cells = empty([steps + 1, batch, hidden]);
                    cells[0] = c0;
                    var output = empty([steps, batch, hidden]);
                    LstmStepKernel.RunForward(gates, h0, cells, output, weightHh, bias, gateRows);
                    return (gates, cells, output);
                }
                var written = Run(null);
                var picked = Run(new IndexedSequence(rows, index));
                var what = $"{width} bits, rows split {splitRows}, streams {streams}, hidden {hidden}, batch {batch}, bias {withBias}";
                Assert.True(picked.Gates.eq(written.Gates).all().item<bool>(), $"{what}: the activations differ");
                Assert.True(picked.Cells.eq(written.Cells).all().item<bool>(), $"{what}: the cells differ");
                Assert.True(picked.Output.eq(written.Output).all().item<bool>(), $"{what}: the outputs differ");
            }
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = splitBefore;
            LstmStepKernel.ForcedStreaming = streamBefore;
        }
    });

    [Fact]
    public void GateRowsOfTheWrongShapeOrAnIndexOutsideThemAreRefused()
    {
        var (steps, batch, hidden) = (3, 2, 4);
        var weightHh = randn([4 * hidden, hidden]);
        void Run(IndexedSequence gateRows) => LstmStepKernel.RunForward(empty([steps, batch, 4 * hidden]), zeros([batch, hidden]),
            zeros([steps + 1, batch, hidden]), empty([steps, batch, hidden]), weightHh, null, gateRows);
        var narrow = Assert.Throws<ArgumentException>(() => Run(new IndexedSequence(randn([5, 15]), zeros([steps, batch], dtype: ScalarType.Int64))));
        Assert.StartsWith("gate rows must be [U, 16] with an int64 index of [3, 2], got [5, 15] and Int64 [3, 2]", narrow.Message);
        var short_ = Assert.Throws<ArgumentException>(() => Run(new IndexedSequence(randn([5, 16]), zeros([steps, 1], dtype: ScalarType.Int64))));
        Assert.Contains("got [5, 16] and Int64 [3, 1]", short_.Message);
        var outside = Assert.Throws<ArgumentException>(() => Run(new IndexedSequence(randn([5, 16]), tensor(Enumerable.Repeat(5L, steps * batch).ToArray()).view(steps, batch))));
        Assert.Equal("row index 5 at position 0 is outside the 5 rows", outside.Message);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void WithoutBiasesTheKernelMatches(int width) => KernelWidth.At(width, () =>
    {
        // The kernel adds b_ih + b_hh as it loads each step's gates (the input GEMM runs without them); with no biases
        // there is nothing to add, in either split.
        var splitBefore = LstmStepKernel.ForcedRowSplit;
        try
        {
            foreach (var rows in new[] { false, true })
            {
                LstmStepKernel.ForcedRowSplit = rows;
                var (kernel, loop) = Pair(input: 5, hidden: 33, layers: 2, seed: 9, bias: false);
                AssertPassed(LstmParity.Compare(kernel, loop, randn([7, 8, 5]), null), $"{width} bits, no biases, {(rows ? "rows" : "units")} split");
            }
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = splitBefore;
        }
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public void SaturatedGatesMatch(int width) => KernelWidth.At(width, () =>
    {
        // Large pre-activations drive σ and tanh to 0, 1 and ±1, where the kernel's exp reaches its clamps.
        var (kernel, loop) = Pair(input: 6, hidden: 19, layers: 2, seed: 3);
        using var forty = 40.ToScalar();
        var x = randn([12, 3, 6]).mul_(forty);
        AssertPassed(LstmParity.Compare(kernel, loop, x, null), $"{width} bits, inputs scaled by 40");
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public void SplittingTheWorkBetweenThreadsMatches(int width) => KernelWidth.At(width, () =>
    {
        // Hidden 70, batch 6: several (block, row group) items at either width, so two threads each take a share,
        // some of them splitting one block's row groups between the threads; over 15 steps, every other one walks each
        // share's blocks in reverse.
        var (kernel, loop) = Pair(input: 9, hidden: 70, layers: 1, seed: 11);
        var x = randn([15, 6, 9]);
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = LstmParity.Compare(kernel, loop, x, null);
            set_num_threads(Math.Max(2, threads));
            var several = LstmParity.Compare(kernel, loop, x, null);
            AssertPassed(one, $"{width} bits, 1 thread");
            AssertPassed(several, $"{width} bits, several threads");
        }
        finally
        {
            set_num_threads(threads);
        }
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public void BlocksRunByAnotherThreadThanTheirShareGiveTheSameResults(int width) => KernelWidth.At(width, () =>
    {
        // Units split, hidden 70 (several blocks at either width), batch 6, two threads or more: static shares, stealing
        // once done, and stealing first (most blocks then run on a thread other than their share's) give the same
        // outputs and input gradients bit for bit, each within float32 rounding of the libtorch loop.
        var (kernel, loop) = Pair(input: 9, hidden: 70, layers: 2, seed: 13);
        var x = randn([15, 6, 9]);
        var (threads, splitBefore, sharingBefore) = (get_num_threads(), LstmStepKernel.ForcedRowSplit, LstmStepKernel.Sharing);
        try
        {
            set_num_threads(Math.Max(2, threads));
            LstmStepKernel.ForcedRowSplit = false;
            (Tensor Y, Tensor DX) Run(BlockSharing sharing)
            {
                LstmStepKernel.Sharing = sharing;
                AssertPassed(LstmParity.Compare(kernel, loop, x, null), $"{width} bits, {sharing}");
                using var input = x.detach().requires_grad_(true);
                var (y, _) = kernel.call(input, null);
                y.sum().backward();
                return (y.detach(), input.grad!.clone());
            }
            var shares = Run(BlockSharing.Static);
            foreach (var sharing in new[] { BlockSharing.Stealing, BlockSharing.StealingFirst })
            {
                var other = Run(sharing);
                Assert.True(shares.Y.eq(other.Y).all().item<bool>(), $"outputs changed with {sharing}");
                Assert.True(shares.DX.eq(other.DX).all().item<bool>(), $"input gradients changed with {sharing}");
            }
        }
        finally
        {
            set_num_threads(threads);
            LstmStepKernel.ForcedRowSplit = splitBefore;
            LstmStepKernel.Sharing = sharingBefore;
        }
        Assert.Equal(BlockSharing.Stealing, LstmStepKernel.Sharing);
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public void OneStepCallsCarryingTheStateEqualOneCallOverTheSequence(int width) => KernelWidth.At(width, () =>
    {
        // A sampler's calls: one step each, which the kernel backend runs in libtorch ops (nothing to pack W_hh for),
        // the state carried and not detached; against one call over all steps, which runs the kernel.
        manual_seed(8);
        var stack = RecurrentStack.Lstm(5, 21, 2, backend: RecurrentBackendKind.Kernel);
        var x = randn([9, 3, 5]).requires_grad_();
        var (whole, final) = stack.call(x);
        var wholeGrads = Gradients(stack, x, whole);

        RecurrentState? state = null;
        var outputs = new List<Tensor>();
        for (var t = 0; t < 9; t++)
        {
            var (y, next) = stack.call(x.narrow(0, t, 1), state);
            outputs.Add(y);
            state = next;
        }
        var stepped = cat(outputs, 0);
        var steppedGrads = Gradients(stack, x, stepped);

        var rows = new List<ParityRow> { ParityRow.Of("y", stepped, whole), ParityRow.Of("h_n", state!.H, final.H), ParityRow.Of("c_n", state.C!, final.C!) };
        rows.AddRange(wholeGrads.Keys.Select(k => ParityRow.Of($"grad {k}", steppedGrads[k], wholeGrads[k])));
        AssertPassed(new ParityReport(rows, ParityReport.DefaultTolerance(ScalarType.Float32)), $"{width} bits, 9 one-step calls against one call");
    });

    // The gradients of x and every parameter from the loss Σ y·(1, 2, 3 …) (weights, so no two outputs are interchangeable).
    private static Dictionary<string, Tensor> Gradients(RecurrentStack stack, Tensor x, Tensor y)
    {
        stack.zero_grad();
        x.grad?.zero_();
        using var end = (y.numel() + 1).ToScalar();
        y.mul(arange(HeldScalars.One, end, HeldScalars.One, dtype: y.dtype).view(y.shape)).sum().backward();
        var grads = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        grads["x"] = x.grad!.clone();
        return grads;
    }

    [Fact]
    public void TheWidthInUseIsReportedAndOnlyTheTwoWidthsExist()
    {
        Assert.Contains(LstmStepKernel.NativeWidth, new[] { 256, 512 });
        Assert.Equal(LstmStepKernel.NativeWidth, LstmStepKernel.VectorWidth);
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmStepKernel.UseWidth(128));
        static string Kernel() => RecurrentStack.Lstm(3, 4, 1, backend: RecurrentBackendKind.Kernel).Backend.ToString();
        KernelWidth.At(256, () => Assert.Contains("C# 256-bit (AVX2/FMA, Vector256)", Kernel(), StringComparison.Ordinal));
        KernelWidth.At(512, () => Assert.Contains("C# 512-bit (AVX-512 F, Vector512)", Kernel(), StringComparison.Ordinal));
    }

    private static (RecurrentStack kernel, RecurrentStack loop) Pair(int input, int hidden, int layers, int seed, bool bias = true)
    {
        manual_seed(seed);
        var kernel = RecurrentStack.Lstm(input, hidden, layers, bias, backend: RecurrentBackendKind.Kernel);
        var loop = RecurrentStack.Lstm(input, hidden, layers, bias, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(kernel, loop);
        return (kernel, loop);
    }

    private static void AssertPassed(ParityReport report, string what) =>
        Assert.True(report.Passed, $"{what}: " + string.Join("; ", report.Rows.Where(r => r.MaxRel > report.Tolerance).Select(r => $"{r.Quantity}: {r.MaxRel:E2}")));
}
