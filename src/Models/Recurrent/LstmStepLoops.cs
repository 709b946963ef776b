using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>The step loops of one layer call at one vector width: what <see cref="LstmStepKernel"/> runs.</summary>
internal interface IStepLoops : IDisposable
{
    /// <summary>See <see cref="LstmStepKernel.RunForward"/>.</summary>
    void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output);

    /// <summary>See <see cref="LstmStepKernel.RunBackward"/>.</summary>
    void BackwardSteps(Tensor dGates, Tensor dH, Tensor dC, Tensor gates, Tensor cells);
}

/// <summary>The forward row-group sizes, as type arguments of <see cref="LstmStepLoops{TVec, TRows}"/>.</summary>
internal readonly struct ThreeRows;

/// <inheritdoc cref="ThreeRows"/>
internal readonly struct FourRows;

/// <summary>
/// <see cref="LstmStepKernel"/>'s step loops, written once in <see cref="KernelVector{TVec}"/>'s operations over the
/// vector type (L lanes: 16 for Vector512, 8 for Vector256):
/// <code>
/// forward   per block of L hidden units u and four batch rows (three without AVX-512's 32 registers):
///             A[b, gate·H + u] += Σ_k h_{t-1}[b, k] · W_hh[gate·H + u, k]       (i, f, g, o accumulated side by side)
///             then per row, while the block is in cache:
///             i, f, o = σ(·), g = tanh(·);  c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  per block of 3L hidden units and four batch rows:
///             dh = dH_t[b, u] + Σ_k dA_{t+1}[b, k] · W_hh[k, u]                     (k over all 4H gate rows)
///             dc = dc⊙f_{t+1} + dh⊙o⊙tanh'(c_t);  dA_t[b, i|f|g] = D_t⊙dc;  dA_t[b, o] = D_t⊙dh
///             with the activation derivatives D_t computed there from i, f, g, o, c_{t-1}, c_t
/// </code>
/// Sixteen or twelve accumulators forward (4 or 3 rows × 4 gates), twelve backward (4 rows × 3 vectors). W_hh is packed once per layer call into
/// panels whose inner loop reads one contiguous, aligned row of 4L (forward) or 3L (backward) floats per k. The work
/// items are (block of units, group of rows) pairs, split evenly between libtorch's threads (<see cref="OpenMpTeam"/>):
/// splitting rows as well as units keeps two threads balanced where a hidden size has few blocks (hidden 200 is
/// 4.2 backward blocks of 48). A hidden size that is not a multiple of L is handled with masked loads and stores, a
/// row group past the batch by repeating the last row (the same sums land twice in the same place).
/// </summary>
internal sealed unsafe class LstmStepLoops<TVec, TRows> : KernelVector<TVec>, IStepLoops
    where TVec : struct
    where TRows : struct
{
    // The forward row group, 4 or 3 rows (LstmStepKernel.ForwardRows): a constant to the JIT once the type is
    // initialised (the constructor reads it), so in the 3-row copy the fourth row's statements are compiled away.
    private static readonly bool FourForwardRows = typeof(TRows) == typeof(FourRows);
    private const int BackwardRows = 4;
    private const int ChunkBytes = 12288; // the k-slice of a panel all row groups of a block read: a quarter of L1

    private readonly bool backward;
    private readonly int hidden;
    private readonly int batch;
    private readonly int units;       // hidden units per block: L forward, 3L backward
    private readonly int rows;        // batch rows per pass
    private readonly int blocks;
    private readonly int groups;      // row groups: ⌈B / rows⌉
    private readonly int kChunk;
    private readonly int threads;
    private readonly float* packed;
    private readonly (nint Pointer, nuint Bytes) panels;
    private int disposed;
    private readonly OpenMpTeam.Job job;   // the step's partitions, made once: no allocation per step

    // The pointers of the step being run, set before the partitions start (they only read them).
    private float* stepGates, stepHPrev, stepCPrev, stepCNext, stepHNext;
    private float* stepDANext, stepDH, stepDC, stepGatesNow, stepFNext, stepCPrevNow, stepCNow, stepDA;

    public LstmStepLoops(Tensor weightHh, int batch, bool backward)
    {
        this.backward = backward;
        hidden = (int)weightHh.shape[1];
        this.batch = batch;
        units = backward ? 3 * Lanes : Lanes;
        rows = backward ? BackwardRows : FourForwardRows ? 4 : 3;
        blocks = (hidden + units - 1) / units;
        groups = (batch + rows - 1) / rows;
        var panelRow = backward ? units : 4 * units;
        kChunk = ChunkBytes / (panelRow * sizeof(float));
        threads = Math.Max(1, Math.Min(get_num_threads(), blocks * groups));
        var gateRows = backward ? 4 * hidden : hidden;
        panels = PanelMemory.Rent((nuint)blocks * (nuint)gateRows * (nuint)panelRow * sizeof(float));
        packed = (float*)panels.Pointer;
        using var w = weightHh.detach().contiguous();
        if (backward)
            PackBackward(Data(w));
        else
            PackForward(Data(w));
        job = new OpenMpTeam.Job(RunPartition);
    }

    public void Dispose()
    {
        // Once only: a buffer given back twice would be handed to two kernels.
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        job.Dispose();
        PanelMemory.Return(panels);
    }

    public void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output)
    {
        var steps = gates.shape[0];
        using var h0Dense = h0.contiguous();
        float* a = Data(gates), c = Data(cells), y = Data(output), h = Data(h0Dense);
        var (gateStep, stateStep) = ((long)batch * 4 * hidden, (long)batch * hidden);
        for (long t = 0; t < steps; t++)
        {
            stepGates = a + t * gateStep;
            stepHPrev = t == 0 ? h : y + (t - 1) * stateStep;
            stepCPrev = c + t * stateStep;
            stepCNext = c + (t + 1) * stateStep;
            stepHNext = y + t * stateStep;
            OpenMpTeam.Run(job, threads);
        }
    }

    public void BackwardSteps(Tensor dGates, Tensor dH, Tensor dC, Tensor gates, Tensor cells)
    {
        var steps = dGates.shape[0];
        float* d = Data(dGates), dh = Data(dH), dc = Data(dC), a = Data(gates), c = Data(cells);
        var (gateStep, stateStep) = ((long)batch * 4 * hidden, (long)batch * hidden);
        stepDC = dc;
        for (var t = steps - 1; t >= 0; t--)
        {
            // dA_{t+1} and f_{t+1} (row stride 4H) are null at the last step: nothing flows back from past the sequence.
            var last = t == steps - 1;
            stepDANext = last ? null : d + (t + 1) * gateStep;
            stepFNext = last ? null : a + (t + 1) * gateStep + hidden;
            stepDH = dh + t * stateStep;
            stepGatesNow = a + t * gateStep;
            stepDA = d + t * gateStep;
            stepCPrevNow = c + t * stateStep;
            stepCNow = c + (t + 1) * stateStep;
            OpenMpTeam.Run(job, threads);
        }
    }

    // The work items of a partition: a contiguous share of the blocks × groups items, block-major, so a thread
    // reuses each panel it reads across its row groups.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int First, int End) ItemsOf(int partition)
    {
        var items = blocks * groups;
        return (items * partition / threads, items * (partition + 1) / threads);
    }

    private void ForEachBlock(Action<int> pack) => OpenMpTeam.Run(threads, partition =>
    {
        for (var ub = blocks * partition / threads; ub < blocks * (partition + 1) / threads; ub++)
            pack(ub);
    });

    // Forward panel of block ub: for k in [0, H) the 4L floats W_i[u..u+L, k], W_f[…], W_g[…], W_o[…] (zeros past H).
    // A transposition: each 8 floats of a panel row are one AVX2 gather down 8 rows of W_hh, masked past H, stored at
    // once. Element by element it took a tenth of a hidden-200 layer's inference time.
    private void PackForward(float* w)
    {
        var panelRow = 4 * units;
        var down = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var rowOffsets = down * hidden;
        ForEachBlock(ub =>
        {
            var panel = packed + (long)ub * hidden * panelRow;
            for (var piece = 0; piece < units; piece += 8)
            {
                var first = ub * units + piece;
                var rows = Vector256.LessThan(down, Vector256.Create(hidden - first)).AsSingle();
                for (var gate = 0; gate < 4; gate++)
                {
                    var src = w + ((long)gate * hidden + first) * hidden;
                    var dst = panel + (gate * units) + piece;
                    for (var k = 0; k < hidden; k++, dst += panelRow)
                        Avx.Store(dst, Avx2.GatherMaskVector256(Vector256<float>.Zero, src + k, rowOffsets, rows, 4));
                }
            }
        });
    }

    // Backward panel of block ub: for k in [0, 4H) the 3L floats W_hh[k, u..u+3L] (zeros past H).
    private void PackBackward(float* w)
    {
        var gateRows = 4 * hidden;
        ForEachBlock(ub =>
        {
            var u = ub * units;
            var width = Math.Min(units, hidden - u);
            var panel = packed + (long)ub * gateRows * units;
            for (var k = 0; k < gateRows; k++)
            {
                var dst = new Span<float>(panel + ((long)k * units), units);
                new ReadOnlySpan<float>(w + ((long)k * hidden) + u, width).CopyTo(dst);
                dst[width..].Clear();
            }
        });
    }

    // AggressiveOptimization: compiled fully optimised at once, not first at tier 0 (whose loop would run unoptimised).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunPartition(int partition)
    {
        var (first, end) = ItemsOf(partition);
        for (var item = first; item < end;)
        {
            var (ub, g0) = (item / groups, item % groups);
            var g1 = Math.Min(groups, g0 + end - item);
            var (r0, r1) = (g0 * rows, Math.Min(batch, g1 * rows));
            if (backward)
                BackwardBlock(ub, r0, r1);
            else
                ForwardBlock(ub, r0, r1);
            item += g1 - g0;
        }
    }

    // Rows [r0, r1) of block ub: the recurrent product into A, then the cell maths.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(int ub, int r0, int r1)
    {
        var u = ub * units;
        var mask = TailMask(hidden - u);
        var full = hidden - u >= Lanes;
        var (gateStride, panelRow) = (4 * hidden, 4 * units);
        // k in chunks whose slice of the panel stays in L1 while every row group reads it; the partial sums wait in A.
        for (var k0 = 0; k0 < hidden; k0 += kChunk)
        {
            var k1 = Math.Min(hidden, k0 + kChunk);
            for (var b0 = r0; b0 < r1; b0 += rows)
            {
                var (a, h) = (new RowGroup(stepGates, gateStride, u, b0, batch), new RowGroup(stepHPrev, hidden, 0, b0, batch));
                var (i0, f0, g0, o0) = LoadGates(a.R0, full, mask);
                var (i1, f1, g1, o1) = LoadGates(a.R1, full, mask);
                var (i2, f2, g2, o2) = LoadGates(a.R2, full, mask);
                var (i3, f3, g3, o3) = FourForwardRows ? LoadGates(a.R3, full, mask) : default;
                var w = packed + ((long)ub * hidden + k0) * panelRow;
                for (var k = k0; k < k1; k++, w += panelRow)
                {
                    // 16 (12) accumulators + 4 (3) broadcasts + 1 weight vector: 16 FMAs per 8 loads (12 per 7).
                    var x0 = Broadcast(h.R0[k]);
                    var x1 = Broadcast(h.R1[k]);
                    var x2 = Broadcast(h.R2[k]);
                    var x3 = FourForwardRows ? Broadcast(h.R3[k]) : default;
                    var wv = LoadAligned(w);
                    i0 = MultiplyAdd(wv, x0, i0);
                    i1 = MultiplyAdd(wv, x1, i1);
                    i2 = MultiplyAdd(wv, x2, i2);
                    i3 = FourForwardRows ? MultiplyAdd(wv, x3, i3) : i3;
                    wv = LoadAligned(w + Lanes);
                    f0 = MultiplyAdd(wv, x0, f0);
                    f1 = MultiplyAdd(wv, x1, f1);
                    f2 = MultiplyAdd(wv, x2, f2);
                    f3 = FourForwardRows ? MultiplyAdd(wv, x3, f3) : f3;
                    wv = LoadAligned(w + (2 * Lanes));
                    g0 = MultiplyAdd(wv, x0, g0);
                    g1 = MultiplyAdd(wv, x1, g1);
                    g2 = MultiplyAdd(wv, x2, g2);
                    g3 = FourForwardRows ? MultiplyAdd(wv, x3, g3) : g3;
                    wv = LoadAligned(w + (3 * Lanes));
                    o0 = MultiplyAdd(wv, x0, o0);
                    o1 = MultiplyAdd(wv, x1, o1);
                    o2 = MultiplyAdd(wv, x2, o2);
                    o3 = FourForwardRows ? MultiplyAdd(wv, x3, o3) : o3;
                }
                if (FourForwardRows)
                    StoreGates(a.R3, i3, f3, g3, o3, full, mask);
                StoreGates(a.R2, i2, f2, g2, o2, full, mask);
                StoreGates(a.R1, i1, f1, g1, o1, full, mask);
                StoreGates(a.R0, i0, f0, g0, o0, full, mask);
            }
        }
        for (var b = r0; b < r1; b++)
            ForwardCell(b, u, full, mask);
    }

    // The cell maths of LstmCell.Step on one row's L units, from the pre-activations to the stored i, f, g, o, c_t, h_t.
    // Compiled on its own, like BackwardCell: inlined into the block, the cells' ~60 vector operations exhaust the JIT's
    // inline budget for the block and leave the product's operations as calls (3–4 × slower).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void ForwardCell(int b, int u, bool full, TVec mask)
    {
        var a = stepGates + (long)b * 4 * hidden + u;
        var (i, f, g, o) = LoadGates(a, full, mask);
        (i, f, g, o) = (Sigmoid(i), Sigmoid(f), Tanh(g), Sigmoid(o));
        var state = (long)b * hidden + u;
        var c = MultiplyAdd(f, Load(stepCPrev + state, full, mask), Multiply(i, g));
        StoreGates(a, i, f, g, o, full, mask);
        Store(stepCNext + state, c, full, mask);
        Store(stepHNext + state, Multiply(o, Tanh(c)), full, mask);
    }

    // Rows [r0, r1) of block ub: dh_t = dH_t + dA_{t+1}·W_hh into dH, then dc and dA_t.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardBlock(int ub, int r0, int r1)
    {
        var u = ub * units;
        var gateRows = 4 * hidden;
        var chunks = stepDANext is null ? 0 : gateRows;
        var panelRow = units;
        var tail = new TailMasks(hidden - u);
        // As forward: k in L1-sized chunks of the panel, the partial sums of dh_t waiting in dH between chunks.
        for (var k0 = 0; k0 < chunks; k0 += kChunk)
        {
            var k1 = Math.Min(chunks, k0 + kChunk);
            for (var b0 = r0; b0 < r1; b0 += BackwardRows)
            {
                var (d, x) = (new RowGroup(stepDH, hidden, u, b0, batch), new RowGroup(stepDANext, gateRows, 0, b0, batch));
                var (s00, s01, s02) = tail.LoadRow(d.R0);
                var (s10, s11, s12) = tail.LoadRow(d.R1);
                var (s20, s21, s22) = tail.LoadRow(d.R2);
                var (s30, s31, s32) = tail.LoadRow(d.R3);
                var w = packed + (((long)ub * gateRows) + k0) * panelRow;
                for (var k = k0; k < k1; k++, w += panelRow)
                {
                    // 12 accumulators + 3 weight vectors + 1 broadcast: 12 FMAs per 7 loads.
                    var wa = LoadAligned(w);
                    var wb = LoadAligned(w + Lanes);
                    var wc = LoadAligned(w + (2 * Lanes));
                    Accumulate(wa, wb, wc, x.R0[k], ref s00, ref s01, ref s02);
                    Accumulate(wa, wb, wc, x.R1[k], ref s10, ref s11, ref s12);
                    Accumulate(wa, wb, wc, x.R2[k], ref s20, ref s21, ref s22);
                    Accumulate(wa, wb, wc, x.R3[k], ref s30, ref s31, ref s32);
                }
                tail.StoreRow(d.R3, s30, s31, s32);
                tail.StoreRow(d.R2, s20, s21, s22);
                tail.StoreRow(d.R1, s10, s11, s12);
                tail.StoreRow(d.R0, s00, s01, s02);
            }
        }
        for (var b = r0; b < r1; b++)
        {
            BackwardCell(b, u, tail.Full0, tail.Mask0);
            BackwardCell(b, u + Lanes, tail.Full1, tail.Mask1);
            BackwardCell(b, u + (2 * Lanes), tail.Full2, tail.Mask2);
        }
    }

    // One row's three sums of the backward product: s += x·[wa, wb, wc].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(TVec wa, TVec wb, TVec wc, float x, ref TVec s0, ref TVec s1, ref TVec s2)
    {
        var xv = Broadcast(x);
        s0 = MultiplyAdd(wa, xv, s0);
        s1 = MultiplyAdd(wb, xv, s1);
        s2 = MultiplyAdd(wc, xv, s2);
    }

    // dc and dA_t of one row's L units from dh_t, with the activation derivatives of LstmOpsLayerFunction's backward:
    // dc = dc⊙f_{t+1} + dh⊙o⊙(1 − tanh²c_t);  dA = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙(1 − g²)]⊙dc, [tanh(c_t)⊙σ'(o)]⊙dh.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void BackwardCell(int b, int u, bool full, TVec mask)
    {
        if (u >= hidden)
            return;
        var one = One;
        var state = (long)b * hidden + u;
        var row = (long)b * 4 * hidden + u;
        var (i, f, g, o) = LoadGates(stepGatesNow + row, full, mask);
        var tanhC = Tanh(Load(stepCNow + state, full, mask));
        var dh = Load(stepDH + state, full, mask);
        var dc = Load(stepDC + state, full, mask);
        if (stepFNext is not null)
            dc = Multiply(dc, Load(stepFNext + row, full, mask));
        dc = MultiplyAdd(dh, Multiply(o, MultiplyAddNegated(tanhC, tanhC, one)), dc);
        Store(stepDC + state, dc, full, mask);
        var cPrev = Load(stepCPrevNow + state, full, mask);
        var dI = Multiply(Multiply(Multiply(g, i), Subtract(one, i)), dc);
        var dF = Multiply(Multiply(Multiply(cPrev, f), Subtract(one, f)), dc);
        var dG = Multiply(Multiply(i, MultiplyAddNegated(g, g, one)), dc);
        var dO = Multiply(Multiply(Multiply(tanhC, o), Subtract(one, o)), dh);
        StoreGates(stepDA + row, dI, dF, dG, dO, full, mask);
    }

    // The four gate vectors of one row's L units, from their places i, f, g, o in a row of A.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (TVec I, TVec F, TVec G, TVec O) LoadGates(float* a, bool full, TVec mask) =>
        (Load(a, full, mask), Load(a + hidden, full, mask), Load(a + (2 * hidden), full, mask), Load(a + (3 * hidden), full, mask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreGates(float* a, TVec i, TVec f, TVec g, TVec o, bool full, TVec mask)
    {
        Store(a, i, full, mask);
        Store(a + hidden, f, full, mask);
        Store(a + (2 * hidden), g, full, mask);
        Store(a + (3 * hidden), o, full, mask);
    }

    /// <summary>The masks of a backward block's three vectors, the units left from its start being <c>valid</c>.</summary>
    private readonly struct TailMasks(int valid)
    {
        public readonly TVec Mask0 = TailMask(valid), Mask1 = TailMask(valid - Lanes), Mask2 = TailMask(valid - (2 * Lanes));
        public readonly bool Full0 = valid >= Lanes, Full1 = valid >= 2 * Lanes, Full2 = valid >= 3 * Lanes;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (TVec, TVec, TVec) LoadRow(float* d) =>
            (Load(d, Full0, Mask0), Load(d + Lanes, Full1, Mask1), Load(d + (2 * Lanes), Full2, Mask2));

        // One row's 3L units of dh_t back into dH.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void StoreRow(float* d, TVec s0, TVec s1, TVec s2)
        {
            Store(d, s0, Full0, Mask0);
            Store(d + Lanes, s1, Full1, Mask1);
            Store(d + (2 * Lanes), s2, Full2, Mask2);
        }
    }

    // Rows b0 … b0 + 3 of a row-major matrix with this row stride, from a column on: what one row group reads or writes.
    // Rows past the batch repeat the last row, so the same sums land twice in the same place.
    private readonly struct RowGroup(float* matrix, long stride, long column, int b0, int batch)
    {
        public readonly float* R0 = matrix + ((long)b0 * stride) + column;
        public readonly float* R1 = matrix + ((long)Math.Min(b0 + 1, batch - 1) * stride) + column;
        public readonly float* R2 = matrix + ((long)Math.Min(b0 + 2, batch - 1) * stride) + column;
        public readonly float* R3 = matrix + ((long)Math.Min(b0 + 3, batch - 1) * stride) + column;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Sigmoid(TVec x) => Divide(One, Add(One, Exp(Subtract(default, x))));

    // tanh(x) = 2σ(2x) − 1: one exp; the absolute error near 0 stays at float32 rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Tanh(TVec x) => MultiplyAdd(Sigmoid(Add(x, x)), Broadcast(2f), Broadcast(-1f));
}
