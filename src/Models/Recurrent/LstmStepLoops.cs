using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>The step loops of one layer call at one vector width: what <see cref="LstmStepKernel"/> runs.</summary>
internal interface IStepLoops : IDisposable
{
    /// <summary>See <see cref="LstmStepKernel.RunForward"/>.</summary>
    void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor? bias, IndexedSequence? gateRows);

    /// <summary>See <see cref="LstmStepKernel.RunBackward"/>.</summary>
    void BackwardSteps(Tensor dGates, Tensor dY, Tensor? dHN, Tensor dC, Tensor gates, Tensor cells);
}

/// <summary>
/// <see cref="LstmStepKernel"/>'s step loops, written once in <see cref="KernelVector{TVec}"/>'s operations over the
/// vector type (L lanes: 16 for Vector512, 8 for Vector256):
/// <code>
/// forward   per block of L hidden units u and a group of up to 5 batch rows (3 without AVX-512's 32 registers):
///             A[b, gate·H + u] += Σ_k h_{t-1}[b, k] · W_hh[gate·H + u, k]       (i, f, g, o accumulated side by side)
///             then per row, while the block is in cache:
///             i, f, o = σ(·), g = tanh(·);  c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  per block of 3L hidden units (the tail block: the vectors its units fill) and a group of up to 5 batch rows
///           (4 without AVX-512):
///             dh = dy_t[b, u] + Σ_k dA_{t+1}[b, k] · W_hh[k, u]                     (k over all 4H gate rows)
///             dc = dc⊙f_{t+1} + dh⊙o⊙tanh'(c_t);  dA_t[b, i|f|g] = D_t⊙dc;  dA_t[b, o] = D_t⊙dh
///             with the activation derivatives D_t computed there from i, f, g, o, c_{t-1}, c_t
/// </code>
/// Up to 20 accumulators forward (5 rows × 4 gates), 15 backward (5 rows × 3 vectors); the group size is a type
/// argument (<see cref="ICount"/>), so each compiled copy holds only its rows. W_hh is packed once per layer call
/// into panels whose inner loop reads one contiguous, aligned row of 4L (forward) or 3L (backward) floats per k; the
/// backward of the rows split, whose every thread reads all of W_hh, reads its rows in place instead.
/// Two ways to share a layer between libtorch's threads (<see cref="OpenMpTeam"/>), chosen by
/// <see cref="LstmStepKernel.SplitsRows"/>:
/// <list type="bullet">
/// <item>rows: each thread takes its own batch rows through every step in one parallel region. A row's recurrence reads
/// only its own row, so no thread waits for another between steps; each reads all of W_hh, which therefore has to fit
/// in its L2.</item>
/// <item>units: per step, (block of units, group of rows) items split evenly between the threads, a barrier after each
/// step; each thread reads only its blocks' panels, in reverse order every other step, so that where its panels
/// outgrow L2 a step starts on those the last one left there. A thread done with its share takes the blocks another
/// has not started (<see cref="LstmStepKernel.Sharing"/>). Where a block's panel spans several k-chunks, its row groups
/// after the first ask for the next chunk's lines into L2 while they read the current one there.</item>
/// </list>
/// Where the panels outgrow L3 (<see cref="LstmStepKernel.StreamsPanels"/>), the units split streams them instead: one
/// vector's panel at a time ([block][vector][k][L]), all k in one pass for up to 20 rows, the product's left operand
/// (h_{t-1} or dA_{t+1}) read from a transposed copy [k][B] that the cells of the step before wrote beside their rows.
/// A hidden size that is not a multiple of L is handled with masked loads and stores; a share of rows is cut into
/// groups whose sizes differ by one at most (10 rows: 5 + 5), so no row is computed twice.
/// </summary>
internal sealed unsafe class LstmStepLoops<TVec> : KernelVector<TVec>, IStepLoops
    where TVec : struct
{
    private readonly bool backward;
    private readonly int hidden;
    private readonly int batch;
    private readonly int units;       // hidden units per block: L forward, 3L backward
    private readonly int rows;        // most batch rows per group (LstmStepKernel.RowGroups)
    private readonly int blocks;
    private readonly int groups;      // row groups: ⌈B / rows⌉
    private readonly int kChunk;
    private readonly int threads;
    private readonly float* packed;
    private readonly (nint Pointer, nuint Bytes) panels;
    // Rows split, backward: no panels; the product reads W_hh's rows where they are (kept alive here until Dispose).
    private readonly Tensor? weightInPlace;
    private int disposed;
    private readonly bool splitRows;  // each thread runs its own batch rows through every step, no barrier per step
    private readonly bool streams;    // units split: each vector's panel streamed once per group of up to 20 rows
    // Streamed: the product's left operand transposed, h_{t-1} and h_t ([H][B]) forward, dA_{t+1} and dA_t ([4H][B])
    // backward, the two alternating by step (after the panels).
    private readonly float* transposed;
    private readonly OpenMpTeam.Job job;   // the partitions, made once: no allocation per step

    // The tensors of the layer call being run, set before the partitions start (they only read them).
    private Sequence sequence;
    private long steps;
    // Units split: the step being run, set before each step's partitions start.
    private long stepNow;
    // Units split: each partition's blocks not yet taken this step, (front << 32) | back, one cache line apart; reset
    // before each step.
    private readonly long[] shares;
    // Units split: the blocks partition p's items touch, ubFirst … ubLast (Count 0 where it has none); fixed per kernel.
    private readonly (int First, int Last, int Count)[] blockRanges;
    private const int ShareStride = 8;
    private readonly BlockSharing sharing = LstmStepKernel.Sharing;

    public LstmStepLoops(Tensor weightHh, int batch, bool backward)
    {
        this.backward = backward;
        hidden = (int)weightHh.shape[1];
        this.batch = batch;
        units = backward ? 3 * Lanes : Lanes;
        splitRows = LstmStepKernel.SplitsRows(hidden, batch);
        streams = LstmStepKernel.StreamsPanels(hidden, batch);
        rows = streams ? LstmStepKernel.StreamRows : backward ? LstmStepKernel.RowGroups.Backward : LstmStepKernel.RowGroups.Forward;
        blocks = (hidden + units - 1) / units;
        groups = (batch + rows - 1) / rows;
        var panelRow = backward ? units : 4 * units;
        kChunk = Math.Max(1, LstmStepKernel.ChunkBytes / (panelRow * sizeof(float)));
        threads = Math.Max(1, Math.Min(get_num_threads(), splitRows ? batch : blocks * groups));
        var gateRows = backward ? 4 * hidden : hidden;
        job = new OpenMpTeam.Job(splitRows ? RunRows : RunPartition);
        shares = new long[threads * ShareStride];
        blockRanges = [.. Enumerable.Range(0, threads).Select(BlockRangeOf)];
        if (backward && splitRows)
        {
            // Each thread reads all of W_hh every step, so its rows are read in place: the panels would hold the same
            // lines, and copying them cost 0.05–0.09 ms a layer call at hidden 200 (W_hh cold, as a training step leaves it).
            weightInPlace = weightHh.detach().contiguous();
            packed = Data(weightInPlace);
            return;
        }
        var panelFloats = (long)blocks * gateRows * panelRow;
        var transposedFloats = streams ? 2L * gateRows * batch : 0;
        panels = PanelMemory.Rent((nuint)(panelFloats + transposedFloats) * sizeof(float));
        packed = (float*)panels.Pointer;
        transposed = streams ? packed + panelFloats : null;
        using var w = weightHh.detach().contiguous();
        if (backward)
            PackBackward(Data(w));
        else
            PackForward(Data(w));
    }

    public void Dispose()
    {
        // Once only: a buffer given back twice would be handed to two kernels.
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        job.Dispose();
        if (weightInPlace is null)
            PanelMemory.Return(panels);
        else
            weightInPlace.Dispose();
    }

    public void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor? bias, IndexedSequence? gateRows)
    {
        using var h0Dense = h0.contiguous();
        using var biasDense = bias?.contiguous();
        using var sourceDense = gateRows?.Rows.contiguous();
        using var indexDense = gateRows?.Index.contiguous();
        sequence = new Sequence(Data(gates), Data(cells), Data(output), Data(h0Dense), null, null, null, batch, hidden)
        {
            Bias = biasDense is null ? null : Data(biasDense),
            Transposed = transposed,
            Source = sourceDense is null ? null : Data(sourceDense),
            SourceIndex = indexDense is null ? null : RowIndexing.CheckedIndex(indexDense, sourceDense!.shape[0]),
        };
        // Step 0 reads h0 transposed; every later step reads what the step before wrote.
        if (streams)
            Transpose(Data(h0Dense), hidden, 0, hidden, transposed, 0, batch);
        Run(gates.shape[0]);
    }

    public void BackwardSteps(Tensor dGates, Tensor dY, Tensor? dHN, Tensor dC, Tensor gates, Tensor cells)
    {
        // dy is only read: each step's dh_t goes to a [B, H] buffer of its own, used within the step.
        using var dH = empty([batch, hidden], dtype: ScalarType.Float32);
        using var dHNDense = dHN?.contiguous();
        sequence = new Sequence(Data(gates), Data(cells), null, null, Data(dGates), Data(dH), Data(dC), batch, hidden)
        {
            DY = Data(dY),
            DHN = dHNDense is null ? null : Data(dHNDense),
            Transposed = transposed,
        };
        Run(dGates.shape[0]);
    }

    // Rows split: one region for the whole sequence. Units split: one region per step, the steps in order.
    private void Run(long stepCount)
    {
        steps = stepCount;
        if (splitRows)
        {
            OpenMpTeam.Run(job, threads);
            return;
        }
        for (var k = 0L; k < steps; k++)
        {
            stepNow = backward ? steps - 1 - k : k;
            for (var partition = 0; partition < threads; partition++)
                shares[partition * ShareStride] = blockRanges[partition].Count;
            OpenMpTeam.Run(job, threads);
        }
    }

    // The blocks partition p's items touch: ubFirst … ubLast (none where it has no items).
    private (int First, int Last, int Count) BlockRangeOf(int partition)
    {
        var (first, end) = ItemsOf(partition);
        return first == end ? (0, -1, 0) : (first / groups, (end - 1) / groups, ((end - 1) / groups) - (first / groups) + 1);
    }

    // Takes partition p's next block this step, from the front (its own thread) or from the back (a thread that has
    // run out of its own): the position n in p's order, or -1 when none is left.
    private int Take(int partition, bool front)
    {
        ref var share = ref shares[partition * ShareStride];
        while (true)
        {
            var now = Volatile.Read(ref share);
            var (first, end) = ((int)(now >> 32), (int)now);
            if (first >= end)
                return -1;
            var next = front ? ((long)(first + 1) << 32) | (uint)end : ((long)first << 32) | (uint)(end - 1);
            if (Interlocked.CompareExchange(ref share, next, now) == now)
                return front ? first : end - 1;
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

    // The k-chunks of a product over `depth` k: as few as hold kChunk at most, of sizes differing by one at most.
    private int ChunksOf(int depth) => (depth + kChunk - 1) / kChunk;

    // The first row of row group j of the batch: ⌈B / rows⌉ groups whose sizes differ by one at most.
    private int GroupStart(int j) => batch * j / groups;

    private void ForEachBlock(Action<int> pack) => OpenMpTeam.Run(threads, partition =>
    {
        for (var ub = blocks * partition / threads; ub < blocks * (partition + 1) / threads; ub++)
            pack(ub);
    });

    // Forward panel of block ub: for k in [0, H) the 4L floats W_i[u..u+L, k], W_f[…], W_g[…], W_o[…] (zeros past H).
    // A transposition, in 8 × 8 tiles of W_hh transposed in registers (the last H mod 8 columns by AVX2 gathers down
    // 8 rows). Against gathers for every column, in-process on the AMD EPYC VM: 0.37–0.45 × the pack's time at hidden
    // 200, 650 and 1500 (Zen 5's gathers are slow); on the Intel Xeon VM, an earlier tile version took 1.16 × at 200 and
    // the same at 650 and 1500 (docs/step-kernel.md).
    // Streamed, the block's panel is instead four gate panels one after the other, each L floats per k.
    private void PackForward(float* w)
    {
        var (gateStart, panelRow) = streams ? ((long)hidden * units, units) : (units, 4 * units);
        var down = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var rowOffsets = down * hidden;
        ForEachBlock(ub =>
        {
            var panel = packed + ((long)ub * hidden * 4 * units);
            for (var piece = 0; piece < units; piece += 8)
            {
                var first = ub * units + piece;
                var rows = Vector256.LessThan(down, Vector256.Create(hidden - first)).AsSingle();
                var valid = Math.Clamp(hidden - first, 0, 8);
                for (var gate = 0; gate < 4; gate++)
                {
                    var src = w + ((long)gate * hidden + first) * hidden;
                    var dst = panel + (gate * gateStart) + piece;
                    var k = 0;
                    for (; k + 8 <= hidden; k += 8, dst += 8 * panelRow)
                        TransposeTile(src + k, hidden, valid, dst, panelRow);
                    for (; k < hidden; k++, dst += panelRow)
                        Avx.Store(dst, Avx2.GatherMaskVector256(Vector256<float>.Zero, src + k, rowOffsets, rows, 4));
                }
            }
        });
    }

    // Rows 0 … 7 of an 8 × 8 tile of W_hh (row stride `stride`; rows from `valid` on are zeros) into 8 panel rows
    // (stride `panelStride`), column c of the tile becoming panel row c: unpacks, shuffles and 128-bit permutes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeTile(float* src, int stride, int valid, float* dst, int panelStride)
    {
        var z = Vector256<float>.Zero;
        var r0 = valid > 0 ? Avx.LoadVector256(src) : z;
        var r1 = valid > 1 ? Avx.LoadVector256(src + stride) : z;
        var r2 = valid > 2 ? Avx.LoadVector256(src + (2 * stride)) : z;
        var r3 = valid > 3 ? Avx.LoadVector256(src + (3 * stride)) : z;
        var r4 = valid > 4 ? Avx.LoadVector256(src + (4 * stride)) : z;
        var r5 = valid > 5 ? Avx.LoadVector256(src + (5 * stride)) : z;
        var r6 = valid > 6 ? Avx.LoadVector256(src + (6 * stride)) : z;
        var r7 = valid > 7 ? Avx.LoadVector256(src + (7 * stride)) : z;
        var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
        var (t4, t5, t6, t7) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5), Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
        var (s0, s1, s2, s3) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
        var (s4, s5, s6, s7) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + panelStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * panelStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * panelStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * panelStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * panelStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * panelStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * panelStride), Avx.Permute2x128(s3, s7, 0x31));
    }

    // Backward panel of block ub: for k in [0, 4H) the vL floats W_hh[k, u..u+vL] (zeros past H), v = VectorsIn(ub).
    // Streamed, one panel per vector instead, one after the other: for k in [0, 4H) the L floats of that vector.
    private void PackBackward(float* w)
    {
        var gateRows = 4 * hidden;
        ForEachBlock(ub =>
        {
            var u = ub * units;
            var panel = packed + (long)ub * gateRows * units;
            var pieces = streams ? VectorsIn(ub) : 1;
            for (var piece = 0; piece < pieces; piece++)
            {
                var from = streams ? u + (piece * Lanes) : u;
                var row = streams ? Lanes : VectorsIn(ub) * Lanes;
                var width = Math.Min(row, hidden - from);
                var start = panel + ((long)piece * gateRows * Lanes);
                for (var k = 0; k < gateRows; k++)
                {
                    var dst = new Span<float>(start + ((long)k * row), row);
                    new ReadOnlySpan<float>(w + ((long)k * hidden) + from, width).CopyTo(dst);
                    dst[width..].Clear();
                }
            }
        });
    }

    // The vectors a backward block's rows span: 3, but only as many as the hidden units left fill in the tail block.
    private int VectorsIn(int ub) => Math.Min(3, (hidden - (ub * units) + Lanes - 1) / Lanes);

    // AggressiveOptimization: compiled fully optimised at once, not first at tier 0 (whose loop would run unoptimised).
    // A thread runs its own partition's blocks, then (BlockSharing.Stealing) takes what the others have not started
    // from the back of their shares. Timed per step on the AMD VM, the two threads of a units-split region ended
    // 7–19 % of its time apart at hidden 1500 and 650, either one first: one vCPU runs slower for a while.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunPartition(int partition)
    {
        if (sharing == BlockSharing.StealingFirst)
            RunOthers(partition);
        for (var n = Take(partition, front: true); n >= 0; n = Take(partition, front: true))
            RunBlock(partition, n);
        if (sharing == BlockSharing.Stealing)
            RunOthers(partition);
    }

    // The blocks of the other partitions' shares that no thread has started, each taken from the back.
    private void RunOthers(int partition)
    {
        for (var other = 1; other < threads; other++)
        {
            var victim = (partition + other) % threads;
            for (var n = Take(victim, front: false); n >= 0; n = Take(victim, front: false))
                RunBlock(victim, n);
        }
    }

    // Block n (in its order this step) of partition p's share: its rows of that block, forward or backward.
    // Every other step walks the share's blocks last to first: the panels read last are those still in L2 (a share
    // larger than L2, walked in one direction every step, would find none of its panels there). Hidden 650, batch
    // 20, in-process A/B: 0.91–0.93 × the forward steps' time, 0.96 × the backward's; the results bit for bit the same.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunBlock(int partition, int n)
    {
        var t = stepNow;
        var (first, end) = ItemsOf(partition);
        var (ubFirst, ubLast, _) = blockRanges[partition];
        var ub = (t & 1) == 1 ? ubLast - n : ubFirst + n;
        var (g0, g1) = (Math.Max(first - (ub * groups), 0), Math.Min(end - (ub * groups), groups));
        var (r0, r1) = (GroupStart(g0), GroupStart(g1));
        if (backward)
            BackwardBlock(ub, r0, r1, new BackwardStep(sequence, t, steps));
        else
            ForwardBlock(ub, r0, r1, new ForwardStep(sequence, t));
    }

    // Rows split: partition p's share of the batch rows through every step, forward or in reverse; a row's recurrence
    // reads only its own row, so the threads never wait for each other between steps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunRows(int partition)
    {
        var (r0, r1) = (batch * partition / threads, batch * (partition + 1) / threads);
        for (var k = 0L; k < steps; k++)
        {
            var t = backward ? steps - 1 - k : k;
            if (backward)
            {
                var step = new BackwardStep(sequence, t, steps);
                for (var ub = 0; ub < blocks; ub++)
                    BackwardBlock(ub, r0, r1, step);
            }
            else
            {
                var step = new ForwardStep(sequence, t);
                for (var ub = 0; ub < blocks; ub++)
                    ForwardBlock(ub, r0, r1, step);
            }
        }
    }

    // Rows [r0, r1) of block ub: the recurrent product into A, then the cell maths (streamed, then h_t's transposed copy).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(int ub, int r0, int r1, in ForwardStep step)
    {
        var u = ub * units;
        var mask = TailMask(hidden - u);
        var full = hidden - u >= Lanes;
        if (step.Source is not null)
            GatherGates(r0, r1, u, full, mask, step);
        PrefetchGates(ub + 1, r0, r1, step);
        if (streams)
        {
            ForwardStreams(ub, r0, r1, full, mask, step);
            ForwardCells(r0, r1, u, full, mask, step);
            Transpose(step.HNext, hidden, u, Math.Min(Lanes, hidden - u), step.TransposedNext, r0, r1);
            return;
        }
        var (gateStride, panelRow) = (4 * hidden, 4 * units);
        var count = (r1 - r0 + rows - 1) / rows;
        // k in chunks whose slice of the panel stays in L2 while every row group reads it; the partial sums wait in A.
        for (int c = 0, chunks = ChunksOf(hidden); c < chunks; c++)
        {
            var (k0, k1) = (hidden * c / chunks, hidden * (c + 1) / chunks);
            var w = packed + ((long)ub * hidden + k0) * panelRow;
            // The block's next chunk, asked for into L2 by the row groups after the first (which meet this chunk there):
            // a share of its lines per group, spread over the group's k.
            var next = c + 1 < chunks ? packed + ((long)ub * hidden + k1) * panelRow : null;
            var nextLines = c + 1 < chunks ? (long)((hidden * (c + 2) / chunks) - k1) * panelRow / LineFloats : 0;
            for (var j = 0; j < count; j++)
            {
                var b0 = r0 + ((r1 - r0) * j / count);
                var (a, h) = (new RowGroup(step.Gates, gateStride, u, b0), new RowGroup(step.HPrev, hidden, 0, b0));
                var ahead = j == 0 || next is null ? default : new Prefetch(next, nextLines * (j - 1) / (count - 1), nextLines * j / (count - 1), k1 - k0);
                switch (r0 + ((r1 - r0) * (j + 1) / count) - b0)
                {
                    case 5: ForwardGroup<Five>(w, k1 - k0, a, h, k0, full, mask, ahead); break;
                    case 4: ForwardGroup<Four>(w, k1 - k0, a, h, k0, full, mask, ahead); break;
                    case 3: ForwardGroup<Three>(w, k1 - k0, a, h, k0, full, mask, ahead); break;
                    case 2: ForwardGroup<Two>(w, k1 - k0, a, h, k0, full, mask, ahead); break;
                    default: ForwardGroup<One>(w, k1 - k0, a, h, k0, full, mask, ahead); break;
                }
            }
        }
        ForwardCells(r0, r1, u, full, mask, step);
    }

    // Streamed: each gate's panel of block ub read once for each group of up to 20 rows, k from 0 to H in one pass, the
    // broadcasts from h_{t-1}'s transposed copy (one pointer for every row). The sums run in the chunked passes' order.
    private void ForwardStreams(int ub, int r0, int r1, bool full, TVec mask, in ForwardStep step)
    {
        var count = (r1 - r0 + rows - 1) / rows;
        for (var gate = 0; gate < 4; gate++)
        {
            var w = packed + (((long)(ub * 4) + gate) * hidden * units);
            for (var j = 0; j < count; j++)
            {
                var b0 = r0 + ((r1 - r0) * j / count);
                var a = step.Gates + ((long)b0 * 4 * hidden) + ((long)gate * hidden) + (ub * units);
                var x = step.TransposedPrev + b0;
                Stream(r0 + ((r1 - r0) * (j + 1) / count) - b0, w, hidden, a, a, 4L * hidden, x, full, mask);
            }
        }
    }

    // One group's pass of n rows (1 to 20), with the row count a constant in each compiled copy.
    private void Stream(int n, float* w, int depth, float* from, float* to, long stride, float* x, bool full, TVec mask)
    {
        switch (n)
        {
            case 20: StreamGroup<Twenty>(w, depth, from, to, stride, x, full, mask); break;
            case 19: StreamGroup<Nineteen>(w, depth, from, to, stride, x, full, mask); break;
            case 18: StreamGroup<Eighteen>(w, depth, from, to, stride, x, full, mask); break;
            case 17: StreamGroup<Seventeen>(w, depth, from, to, stride, x, full, mask); break;
            case 16: StreamGroup<Sixteen>(w, depth, from, to, stride, x, full, mask); break;
            case 15: StreamGroup<Fifteen>(w, depth, from, to, stride, x, full, mask); break;
            case 14: StreamGroup<Fourteen>(w, depth, from, to, stride, x, full, mask); break;
            case 13: StreamGroup<Thirteen>(w, depth, from, to, stride, x, full, mask); break;
            case 12: StreamGroup<Twelve>(w, depth, from, to, stride, x, full, mask); break;
            case 11: StreamGroup<Eleven>(w, depth, from, to, stride, x, full, mask); break;
            case 10: StreamGroup<Ten>(w, depth, from, to, stride, x, full, mask); break;
            case 9: StreamGroup<Nine>(w, depth, from, to, stride, x, full, mask); break;
            case 8: StreamGroup<Eight>(w, depth, from, to, stride, x, full, mask); break;
            case 7: StreamGroup<Seven>(w, depth, from, to, stride, x, full, mask); break;
            case 6: StreamGroup<Six>(w, depth, from, to, stride, x, full, mask); break;
            case 5: StreamGroup<Five>(w, depth, from, to, stride, x, full, mask); break;
            case 4: StreamGroup<Four>(w, depth, from, to, stride, x, full, mask); break;
            case 3: StreamGroup<Three>(w, depth, from, to, stride, x, full, mask); break;
            case 2: StreamGroup<Two>(w, depth, from, to, stride, x, full, mask); break;
            default: StreamGroup<One>(w, depth, from, to, stride, x, full, mask); break;
        }
    }

    // Floats of a gate panel the streamed pass asks for ahead of its loads: 16 KB, a line per k. Without it the pass
    // waits on memory at hidden 1500; in a C harness (not committed) 2–8 K floats ahead read alike.
    private const int StreamAhead = 4096;

    // One group's streamed pass: to[r] = from[r] + Σ_k x[k][r] · panel row k over `depth` k, for n ≤ 20 rows `stride`
    // floats apart, x being the transposed left operand (batch floats a k). Forward, from = to = the gates' row of A_t
    // and x = h_{t-1}ᵀ; backward, from = dy_t, to = dh_t and x = dA_{t+1}ᵀ. 20 accumulators, 1 weight vector and a
    // broadcast: 20 FMAs per 64-byte line of the panel, asked for StreamAhead floats ahead.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void StreamGroup<TRows>(float* w, int depth, float* from, float* to, long stride, float* x, bool full, TVec mask)
        where TRows : struct, ICount
    {
        var n = TRows.Count;
        var s0 = Load(from, full, mask);
        var s1 = n > 1 ? Load(from + stride, full, mask) : default;
        var s2 = n > 2 ? Load(from + (2 * stride), full, mask) : default;
        var s3 = n > 3 ? Load(from + (3 * stride), full, mask) : default;
        var s4 = n > 4 ? Load(from + (4 * stride), full, mask) : default;
        var s5 = n > 5 ? Load(from + (5 * stride), full, mask) : default;
        var s6 = n > 6 ? Load(from + (6 * stride), full, mask) : default;
        var s7 = n > 7 ? Load(from + (7 * stride), full, mask) : default;
        var s8 = n > 8 ? Load(from + (8 * stride), full, mask) : default;
        var s9 = n > 9 ? Load(from + (9 * stride), full, mask) : default;
        var s10 = n > 10 ? Load(from + (10 * stride), full, mask) : default;
        var s11 = n > 11 ? Load(from + (11 * stride), full, mask) : default;
        var s12 = n > 12 ? Load(from + (12 * stride), full, mask) : default;
        var s13 = n > 13 ? Load(from + (13 * stride), full, mask) : default;
        var s14 = n > 14 ? Load(from + (14 * stride), full, mask) : default;
        var s15 = n > 15 ? Load(from + (15 * stride), full, mask) : default;
        var s16 = n > 16 ? Load(from + (16 * stride), full, mask) : default;
        var s17 = n > 17 ? Load(from + (17 * stride), full, mask) : default;
        var s18 = n > 18 ? Load(from + (18 * stride), full, mask) : default;
        var s19 = n > 19 ? Load(from + (19 * stride), full, mask) : default;
        var next = batch; // a local: the field would be loaded again every k
        for (var k = 0; k < depth; k++, w += Lanes, x += next)
        {
            Sse.Prefetch0(w + StreamAhead);
            var wk = LoadAligned(w);
            s0 = MultiplyAdd(wk, Broadcast(x[0]), s0);
            s1 = n > 1 ? MultiplyAdd(wk, Broadcast(x[1]), s1) : s1;
            s2 = n > 2 ? MultiplyAdd(wk, Broadcast(x[2]), s2) : s2;
            s3 = n > 3 ? MultiplyAdd(wk, Broadcast(x[3]), s3) : s3;
            s4 = n > 4 ? MultiplyAdd(wk, Broadcast(x[4]), s4) : s4;
            s5 = n > 5 ? MultiplyAdd(wk, Broadcast(x[5]), s5) : s5;
            s6 = n > 6 ? MultiplyAdd(wk, Broadcast(x[6]), s6) : s6;
            s7 = n > 7 ? MultiplyAdd(wk, Broadcast(x[7]), s7) : s7;
            s8 = n > 8 ? MultiplyAdd(wk, Broadcast(x[8]), s8) : s8;
            s9 = n > 9 ? MultiplyAdd(wk, Broadcast(x[9]), s9) : s9;
            s10 = n > 10 ? MultiplyAdd(wk, Broadcast(x[10]), s10) : s10;
            s11 = n > 11 ? MultiplyAdd(wk, Broadcast(x[11]), s11) : s11;
            s12 = n > 12 ? MultiplyAdd(wk, Broadcast(x[12]), s12) : s12;
            s13 = n > 13 ? MultiplyAdd(wk, Broadcast(x[13]), s13) : s13;
            s14 = n > 14 ? MultiplyAdd(wk, Broadcast(x[14]), s14) : s14;
            s15 = n > 15 ? MultiplyAdd(wk, Broadcast(x[15]), s15) : s15;
            s16 = n > 16 ? MultiplyAdd(wk, Broadcast(x[16]), s16) : s16;
            s17 = n > 17 ? MultiplyAdd(wk, Broadcast(x[17]), s17) : s17;
            s18 = n > 18 ? MultiplyAdd(wk, Broadcast(x[18]), s18) : s18;
            s19 = n > 19 ? MultiplyAdd(wk, Broadcast(x[19]), s19) : s19;
        }
        Store(to, s0, full, mask);
        if (n > 1)
            Store(to + stride, s1, full, mask);
        if (n > 2)
            Store(to + (2 * stride), s2, full, mask);
        if (n > 3)
            Store(to + (3 * stride), s3, full, mask);
        if (n > 4)
            Store(to + (4 * stride), s4, full, mask);
        if (n > 5)
            Store(to + (5 * stride), s5, full, mask);
        if (n > 6)
            Store(to + (6 * stride), s6, full, mask);
        if (n > 7)
            Store(to + (7 * stride), s7, full, mask);
        if (n > 8)
            Store(to + (8 * stride), s8, full, mask);
        if (n > 9)
            Store(to + (9 * stride), s9, full, mask);
        if (n > 10)
            Store(to + (10 * stride), s10, full, mask);
        if (n > 11)
            Store(to + (11 * stride), s11, full, mask);
        if (n > 12)
            Store(to + (12 * stride), s12, full, mask);
        if (n > 13)
            Store(to + (13 * stride), s13, full, mask);
        if (n > 14)
            Store(to + (14 * stride), s14, full, mask);
        if (n > 15)
            Store(to + (15 * stride), s15, full, mask);
        if (n > 16)
            Store(to + (16 * stride), s16, full, mask);
        if (n > 17)
            Store(to + (17 * stride), s17, full, mask);
        if (n > 18)
            Store(to + (18 * stride), s18, full, mask);
        if (n > 19)
            Store(to + (19 * stride), s19, full, mask);
    }

    // Rows [r0, r1) of a stack fed distinct rows: the block's units of each gate copied in from the row's input product
    // (Source[index[t, b]]), where the product then adds into them; a separate pass over all steps first took 0.1 ms a
    // layer call at PTB small's shape (docs/step-kernel.md, "Distinct rows picked and summed in C#").
    private void GatherGates(int r0, int r1, int u, bool full, TVec mask, in ForwardStep step)
    {
        for (var b = r0; b < r1; b++)
        {
            var (i, f, g, o) = LoadGates(step.Source + (step.SourceIndex[b] * 4 * hidden) + u, full, mask);
            StoreGates(step.Gates + ((long)b * 4 * hidden) + u, i, f, g, o, full, mask);
        }
    }

    // Asks for rows [r0, r1) of block ub's four gates in A_t (in their source rows, where gathered) while this block
    // computes: they were written by the input GEMM long before and come from L3 or memory, and a group's first FMAs
    // wait for them. The next block's rows, not the next step's (prefetched that far ahead on the Intel VM, they cost 5 %).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchGates(int ub, int r0, int r1, in ForwardStep step)
    {
        var u = ub * units;
        if (u >= hidden)
            return;
        for (var b = r0; b < r1; b++)
        {
            var a = (step.Source is null ? step.Gates + ((long)b * 4 * hidden) : step.Source + (step.SourceIndex[b] * 4 * hidden)) + u;
            Sse.Prefetch0(a);
            Sse.Prefetch0(a + hidden);
            Sse.Prefetch0(a + (2 * hidden));
            Sse.Prefetch0(a + (3 * hidden));
        }
    }

    // One row group's k-slice of the forward product: A[b, gates of the block] += Σ_k h_{t-1}[b, k] · panel row k.
    // Up to 5 rows × 4 gates = 20 accumulators + 4 weight vectors + 1 broadcast: 20 FMAs per 9 loads.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void ForwardGroup<TRows>(float* w, int kCount, in RowGroup a, in RowGroup h, int k0, bool full, TVec mask, in Prefetch ahead)
        where TRows : struct, ICount
    {
        var n = TRows.Count;
        var (i0, f0, g0, o0) = LoadGates(a.R0, full, mask);
        var (i1, f1, g1, o1) = n > 1 ? LoadGates(a.R1, full, mask) : default;
        var (i2, f2, g2, o2) = n > 2 ? LoadGates(a.R2, full, mask) : default;
        var (i3, f3, g3, o3) = n > 3 ? LoadGates(a.R3, full, mask) : default;
        var (i4, f4, g4, o4) = n > 4 ? LoadGates(a.R4, full, mask) : default;
        float* x0 = h.R0 + k0, x1 = h.R1 + k0, x2 = h.R2 + k0, x3 = h.R3 + k0, x4 = h.R4 + k0;
        // The JIT has 32 vector registers with AVX-512 (at either width), 16 with AVX2; IsSupported is a constant to it,
        // so each compiled copy keeps one loop (a static field not yet initialised when this compiles would keep both,
        // and with them every accumulator spilled to the stack).
        if (4 * n + 5 <= (Avx512F.IsSupported ? 32 : 16))
        {
            // The four weight vectors stay loaded while each row's broadcast meets them: 4n + 5 registers, no moves.
            for (var k = 0; k < kCount; k++, w += 4 * Lanes)
            {
                var (wi, wf, wg, wo) = (LoadAligned(w), LoadAligned(w + Lanes), LoadAligned(w + (2 * Lanes)), LoadAligned(w + (3 * Lanes)));
                if (k < ahead.Iterations)
                    ahead.At(k);
                Accumulate(wi, wf, wg, wo, x0[k], ref i0, ref f0, ref g0, ref o0);
                if (n > 1)
                    Accumulate(wi, wf, wg, wo, x1[k], ref i1, ref f1, ref g1, ref o1);
                if (n > 2)
                    Accumulate(wi, wf, wg, wo, x2[k], ref i2, ref f2, ref g2, ref o2);
                if (n > 3)
                    Accumulate(wi, wf, wg, wo, x3[k], ref i3, ref f3, ref g3, ref o3);
                if (n > 4)
                    Accumulate(wi, wf, wg, wo, x4[k], ref i4, ref f4, ref g4, ref o4);
            }
        }
        else
        {
            // AVX2's 16 registers: the broadcasts stay loaded and one weight vector at a time meets them (3 rows: 16).
            for (var k = 0; k < kCount; k++, w += 4 * Lanes)
            {
                var x = (Broadcast(x0[k]), n > 1 ? Broadcast(x1[k]) : default, n > 2 ? Broadcast(x2[k]) : default,
                    n > 3 ? Broadcast(x3[k]) : default, n > 4 ? Broadcast(x4[k]) : default);
                AccumulateRows<TRows>(LoadAligned(w), x, ref i0, ref i1, ref i2, ref i3, ref i4);
                AccumulateRows<TRows>(LoadAligned(w + Lanes), x, ref f0, ref f1, ref f2, ref f3, ref f4);
                AccumulateRows<TRows>(LoadAligned(w + (2 * Lanes)), x, ref g0, ref g1, ref g2, ref g3, ref g4);
                AccumulateRows<TRows>(LoadAligned(w + (3 * Lanes)), x, ref o0, ref o1, ref o2, ref o3, ref o4);
            }
        }
        StoreGates(a.R0, i0, f0, g0, o0, full, mask);
        if (n > 1)
            StoreGates(a.R1, i1, f1, g1, o1, full, mask);
        if (n > 2)
            StoreGates(a.R2, i2, f2, g2, o2, full, mask);
        if (n > 3)
            StoreGates(a.R3, i3, f3, g3, o3, full, mask);
        if (n > 4)
            StoreGates(a.R4, i4, f4, g4, o4, full, mask);
    }

    // The cell maths of LstmCell.Step on rows [r0, r1)'s L units from u, from the pre-activations (plus the bias where
    // the steps add it) to the stored i, f, g, o, c_t, h_t.
    // Compiled on its own, like BackwardCell: inlined into the block, the cells' ~60 vector operations exhaust the JIT's
    // inline budget for the block and leave the product's operations as calls (3–4 × slower). One call for the rows, not
    // one per row: the call and its arguments cost as much as a row's loads.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void ForwardCells(int r0, int r1, int u, bool full, TVec mask, in ForwardStep step)
    {
        var (bi, bf, bg, bo) = step.Bias is null ? default : LoadGates(step.Bias + u, full, mask);
        for (var b = r0; b < r1; b++)
        {
            var a = step.Gates + (long)b * 4 * hidden + u;
            var (i, f, g, o) = LoadGates(a, full, mask);
            if (step.Bias is not null)
                (i, f, g, o) = (Add(i, bi), Add(f, bf), Add(g, bg), Add(o, bo));
            (i, f, g, o) = (Sigmoid(i), Sigmoid(f), Tanh(g), Sigmoid(o));
            var state = (long)b * hidden + u;
            var c = MultiplyAdd(f, Load(step.CPrev + state, full, mask), Multiply(i, g));
            StoreGates(a, i, f, g, o, full, mask);
            Store(step.CNext + state, c, full, mask);
            Store(step.HNext + state, Multiply(o, Tanh(c)), full, mask);
        }
    }

    // Columns [first, first + width) of rows [r0, r1) of a row-major matrix (row stride `stride`) into the transposed
    // copy, [column][B]: what the next streamed step broadcasts from. Read back from the rows once all are stored: a lane
    // read straight after its vector's store would wait for the store to forward.
    private void Transpose(float* matrix, long stride, int first, int width, float* copy, int r0, int r1)
    {
        for (var j = first; j < first + width; j++)
        {
            var column = copy + ((long)j * batch);
            for (var b = r0; b < r1; b++)
                column[b] = matrix[((long)b * stride) + j];
        }
    }

    // Rows [r0, r1) of block ub: dh_t = dy_t + dA_{t+1}·W_hh into dH, then dc and dA_t.
    private void BackwardBlock(int ub, int r0, int r1, in BackwardStep step)
    {
        if (streams)
        {
            BackwardStreams(ub, r0, r1, step);
            return;
        }
        switch (VectorsIn(ub))
        {
            case 3: BackwardBlock<Three>(ub, r0, r1, step); break;
            case 2: BackwardBlock<Two>(ub, r0, r1, step); break;
            default: BackwardBlock<One>(ub, r0, r1, step); break;
        }
    }

    // BackwardBlock of a block whose rows span TVectors vectors (the tail of a hidden size may span fewer than 3).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardBlock<TVectors>(int ub, int r0, int r1, in BackwardStep step)
        where TVectors : struct, ICount
    {
        var v = TVectors.Count;
        var u = ub * units;
        var gateRows = 4 * hidden;
        var depth = step.DANext is null ? 0 : gateRows;
        var tail = new TailMasks(hidden - u);
        var count = (r1 - r0 + rows - 1) / rows;
        // A row k of the weights: the panel's v·L floats, or (read in place) W_hh's row from unit u, of stride H.
        var (inPlace, stride) = weightInPlace is null ? (false, v * Lanes) : (true, hidden);
        // As forward: k in L2-sized chunks of the panel, the partial sums of dh_t waiting in dH between chunks (the
        // first chunk starts from dy_t).
        for (int c = 0, chunks = ChunksOf(depth); c < chunks; c++)
        {
            var (k0, k1) = (depth * c / chunks, depth * (c + 1) / chunks);
            var w = inPlace ? packed + ((long)k0 * hidden) + u : packed + ((long)ub * gateRows * units) + ((long)k0 * v * Lanes);
            for (var j = 0; j < count; j++)
            {
                var b0 = r0 + ((r1 - r0) * j / count);
                var (from, d, x) = (new RowGroup(c == 0 ? step.DY : step.DH, hidden, u, b0), new RowGroup(step.DH, hidden, u, b0), new RowGroup(step.DANext, gateRows, 0, b0));
                switch (r0 + ((r1 - r0) * (j + 1) / count) - b0)
                {
                    case 5: BackwardGroup<Five, TVectors>(w, stride, k1 - k0, from, d, x, k0, tail, inPlace); break;
                    case 4: BackwardGroup<Four, TVectors>(w, stride, k1 - k0, from, d, x, k0, tail, inPlace); break;
                    case 3: BackwardGroup<Three, TVectors>(w, stride, k1 - k0, from, d, x, k0, tail, inPlace); break;
                    case 2: BackwardGroup<Two, TVectors>(w, stride, k1 - k0, from, d, x, k0, tail, inPlace); break;
                    default: BackwardGroup<One, TVectors>(w, stride, k1 - k0, from, d, x, k0, tail, inPlace); break;
                }
            }
        }
        BackwardCells(r0, r1, u, v, tail, step);
    }

    // The cells of rows [r0, r1) over the v vectors of a backward block from unit u.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BackwardCells(int r0, int r1, int u, int v, in TailMasks tail, in BackwardStep step)
    {
        for (var b = r0; b < r1; b++)
        {
            BackwardCell(b, u, tail.Full0, tail.Mask0, step);
            if (v > 1)
                BackwardCell(b, u + Lanes, tail.Full1, tail.Mask1, step);
            if (v > 2)
                BackwardCell(b, u + (2 * Lanes), tail.Full2, tail.Mask2, step);
        }
    }

    // Streamed: each of block ub's vectors of dh_t = dy_t + dA_{t+1}·W_hh in one pass over its panel per group of up to
    // 20 rows, the broadcasts from dA_{t+1}'s transposed copy; then the cells, and dA_t's columns into that copy for the
    // next step (read back from dA_t's rows once all are stored). The sums run in the chunked passes' order.
    private void BackwardStreams(int ub, int r0, int r1, in BackwardStep step)
    {
        var u = ub * units;
        var v = VectorsIn(ub);
        var tail = new TailMasks(hidden - u);
        var gateRows = 4 * hidden;
        if (step.DANext is not null)
        {
            var count = (r1 - r0 + rows - 1) / rows;
            for (var vector = 0; vector < v; vector++)
            {
                var (full, mask) = vector switch { 0 => (tail.Full0, tail.Mask0), 1 => (tail.Full1, tail.Mask1), _ => (tail.Full2, tail.Mask2) };
                var w = packed + ((long)ub * gateRows * units) + ((long)vector * gateRows * Lanes);
                var column = u + (vector * Lanes);
                for (var j = 0; j < count; j++)
                {
                    var b0 = r0 + ((r1 - r0) * j / count);
                    var row = ((long)b0 * hidden) + column;
                    Stream(r0 + ((r1 - r0) * (j + 1) / count) - b0, w, gateRows, step.DY + row, step.DH + row, hidden, step.DATransposedNext + b0, full, mask);
                }
            }
        }
        BackwardCells(r0, r1, u, v, tail, step);
        for (var gate = 0; gate < 4; gate++)
            Transpose(step.DA, gateRows, (gate * hidden) + u, Math.Min(units, hidden - u), step.DATransposed, r0, r1);
    }

    // One row group's k-slice of the backward product: dH[b, block] = from[b, block] + Σ_k dA_{t+1}[b, k] · weight row k
    // (stride apart), `from` being dy_t for the first k-chunk and dH after it.
    // Up to 5 rows × 3 vectors = 15 accumulators + 3 weight vectors + 1 broadcast: 15 FMAs per 8 loads.
    // Read in place, W_hh's rows end at H: a tail block's last vector is loaded masked (the panels hold zeros there).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroup<TRows, TVectors>(float* w, int stride, int kCount, in RowGroup from, in RowGroup d, in RowGroup x, int k0, in TailMasks tail, bool inPlace)
        where TRows : struct, ICount
        where TVectors : struct, ICount
    {
        if (inPlace && !tail.FullOf<TVectors>())
            BackwardGroup<TRows, TVectors, MaskedLast>(w, stride, kCount, from, d, x, k0, tail);
        else
            BackwardGroup<TRows, TVectors, WholeLast>(w, stride, kCount, from, d, x, k0, tail);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroup<TRows, TVectors, TLast>(float* w, int stride, int kCount, in RowGroup from, in RowGroup d, in RowGroup x, int k0, in TailMasks tail)
        where TRows : struct, ICount
        where TVectors : struct, ICount
        where TLast : struct, ILastVector
    {
        var (n, v) = (TRows.Count, TVectors.Count);
        var last = v switch { 1 => tail.Mask0, 2 => tail.Mask1, _ => tail.Mask2 };
        var (s00, s01, s02) = tail.LoadRow<TVectors>(from.R0);
        var (s10, s11, s12) = n > 1 ? tail.LoadRow<TVectors>(from.R1) : default;
        var (s20, s21, s22) = n > 2 ? tail.LoadRow<TVectors>(from.R2) : default;
        var (s30, s31, s32) = n > 3 ? tail.LoadRow<TVectors>(from.R3) : default;
        var (s40, s41, s42) = n > 4 ? tail.LoadRow<TVectors>(from.R4) : default;
        float* x0 = x.R0 + k0, x1 = x.R1 + k0, x2 = x.R2 + k0, x3 = x.R3 + k0, x4 = x.R4 + k0;
        for (var k = 0; k < kCount; k++, w += stride)
        {
            var wa = Load(w, !(TLast.IsMasked && v == 1), last);
            var wb = v > 1 ? Load(w + Lanes, !(TLast.IsMasked && v == 2), last) : default;
            var wc = v > 2 ? Load(w + (2 * Lanes), !(TLast.IsMasked && v == 3), last) : default;
            Accumulate<TVectors>(wa, wb, wc, x0[k], ref s00, ref s01, ref s02);
            if (n > 1)
                Accumulate<TVectors>(wa, wb, wc, x1[k], ref s10, ref s11, ref s12);
            if (n > 2)
                Accumulate<TVectors>(wa, wb, wc, x2[k], ref s20, ref s21, ref s22);
            if (n > 3)
                Accumulate<TVectors>(wa, wb, wc, x3[k], ref s30, ref s31, ref s32);
            if (n > 4)
                Accumulate<TVectors>(wa, wb, wc, x4[k], ref s40, ref s41, ref s42);
        }
        tail.StoreRow<TVectors>(d.R0, s00, s01, s02);
        if (n > 1)
            tail.StoreRow<TVectors>(d.R1, s10, s11, s12);
        if (n > 2)
            tail.StoreRow<TVectors>(d.R2, s20, s21, s22);
        if (n > 3)
            tail.StoreRow<TVectors>(d.R3, s30, s31, s32);
        if (n > 4)
            tail.StoreRow<TVectors>(d.R4, s40, s41, s42);
    }

    // One row's four gate sums of the forward product: [i, f, g, o] += x·[wi, wf, wg, wo].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(TVec wi, TVec wf, TVec wg, TVec wo, float x, ref TVec i, ref TVec f, ref TVec g, ref TVec o)
    {
        var xv = Broadcast(x);
        i = MultiplyAdd(wi, xv, i);
        f = MultiplyAdd(wf, xv, f);
        g = MultiplyAdd(wg, xv, g);
        o = MultiplyAdd(wo, xv, o);
    }

    // One gate's sums of a forward row group: a_r += w·x_r for its n rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateRows<TRows>(TVec w, (TVec, TVec, TVec, TVec, TVec) x, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3, ref TVec a4)
        where TRows : struct, ICount
    {
        var n = TRows.Count;
        a0 = MultiplyAdd(w, x.Item1, a0);
        a1 = n > 1 ? MultiplyAdd(w, x.Item2, a1) : a1;
        a2 = n > 2 ? MultiplyAdd(w, x.Item3, a2) : a2;
        a3 = n > 3 ? MultiplyAdd(w, x.Item4, a3) : a3;
        a4 = n > 4 ? MultiplyAdd(w, x.Item5, a4) : a4;
    }

    // One row's sums of the backward product, as many as the block's vectors: s += x·[wa, wb, wc].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TVectors>(TVec wa, TVec wb, TVec wc, float x, ref TVec s0, ref TVec s1, ref TVec s2)
        where TVectors : struct, ICount
    {
        var xv = Broadcast(x);
        s0 = MultiplyAdd(wa, xv, s0);
        s1 = TVectors.Count > 1 ? MultiplyAdd(wb, xv, s1) : s1;
        s2 = TVectors.Count > 2 ? MultiplyAdd(wc, xv, s2) : s2;
    }

    // dc and dA_t of one row's L units from dh_t, with the activation derivatives of LstmOpsLayerFunction's backward:
    // dc = dc⊙f_{t+1} + dh⊙o⊙(1 − tanh²c_t);  dA = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙(1 − g²)]⊙dc, [tanh(c_t)⊙σ'(o)]⊙dh.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void BackwardCell(int b, int u, bool full, TVec mask, in BackwardStep step)
    {
        if (u >= hidden)
            return;
        var one = Ones;
        var state = (long)b * hidden + u;
        var row = (long)b * 4 * hidden + u;
        var (i, f, g, o) = LoadGates(step.Gates + row, full, mask);
        var tanhC = Tanh(Load(step.C + state, full, mask));
        // dh_t: dy_t where no product ran (the last step), plus dh_n there where given.
        var dh = Load((step.DANext is null ? step.DY : step.DH) + state, full, mask);
        if (step.DHN is not null)
            dh = Add(dh, Load(step.DHN + state, full, mask));
        var dc = Load(step.DC + state, full, mask);
        if (step.FNext is not null)
            dc = Multiply(dc, Load(step.FNext + row, full, mask));
        dc = MultiplyAdd(dh, Multiply(o, MultiplyAddNegated(tanhC, tanhC, one)), dc);
        Store(step.DC + state, dc, full, mask);
        var cPrev = Load(step.CPrev + state, full, mask);
        var dI = Multiply(Multiply(Multiply(g, i), Subtract(one, i)), dc);
        var dF = Multiply(Multiply(Multiply(cPrev, f), Subtract(one, f)), dc);
        var dG = Multiply(Multiply(i, MultiplyAddNegated(g, g, one)), dc);
        var dO = Multiply(Multiply(Multiply(tanhC, o), Subtract(one, o)), dh);
        StoreGates(step.DA + row, dI, dF, dG, dO, full, mask);
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

        // Whether the block's last vector (of TVectors) is whole.
        public bool FullOf<TVectors>()
            where TVectors : struct, ICount => TVectors.Count switch { 1 => Full0, 2 => Full1, _ => Full2 };

        // One row's units of dh_t from dH, in the block's vectors (the others zero).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (TVec, TVec, TVec) LoadRow<TVectors>(float* d)
            where TVectors : struct, ICount =>
            (Load(d, Full0, Mask0),
             TVectors.Count > 1 ? Load(d + Lanes, Full1, Mask1) : default,
             TVectors.Count > 2 ? Load(d + (2 * Lanes), Full2, Mask2) : default);

        // One row's units of dh_t back into dH, in the block's vectors.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void StoreRow<TVectors>(float* d, TVec s0, TVec s1, TVec s2)
            where TVectors : struct, ICount
        {
            Store(d, s0, Full0, Mask0);
            if (TVectors.Count > 1)
                Store(d + Lanes, s1, Full1, Mask1);
            if (TVectors.Count > 2)
                Store(d + (2 * Lanes), s2, Full2, Mask2);
        }
    }

    // Floats in a 64-byte cache line.
    private const int LineFloats = 16;

    // Lines [from, to) of a panel region asked for into L2 (prefetcht1), two per iteration of a product's k loop over
    // its first Iterations iterations (a zero-sized one asks for nothing).
    private readonly struct Prefetch(float* region, long from, long to, int kCount)
    {
        private readonly float* lines = region + (from * LineFloats);
        public readonly int Iterations = (int)Math.Min(kCount, (to - from + 1) / 2);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void At(int k)
        {
            Sse.Prefetch1(lines + (2 * k * LineFloats));
            Sse.Prefetch1(lines + (((2 * k) + 1) * LineFloats));
        }
    }

    // Rows b0 … b0 + 4 of a row-major matrix with this row stride, from a column on: what one row group reads or writes
    // (a group of fewer rows never touches the others).
    private readonly struct RowGroup(float* matrix, long stride, long column, int b0)
    {
        public readonly float* R0 = matrix + ((long)b0 * stride) + column;
        public readonly float* R1 = matrix + ((long)(b0 + 1) * stride) + column;
        public readonly float* R2 = matrix + ((long)(b0 + 2) * stride) + column;
        public readonly float* R3 = matrix + ((long)(b0 + 3) * stride) + column;
        public readonly float* R4 = matrix + ((long)(b0 + 4) * stride) + column;
    }

    // The tensors of one layer call: forward (gates, cells, output, h0, the bias if the steps add it) or backward
    // (gates, cells, dGates, dH, dC).
    private readonly struct Sequence(float* gates, float* cells, float* output, float* h0, float* dGates, float* dH, float* dC, int batch, int hidden)
    {
        public readonly float* Gates = gates, Cells = cells, Output = output, H0 = h0, DGates = dGates, DH = dH, DC = dC;
        public float* Bias { get; init; }
        public float* DY { get; init; }
        public float* DHN { get; init; }
        public float* Transposed { get; init; }
        // Forward, a stack fed distinct rows: their input products [U, 4H] and each position's row, [T, B].
        public float* Source { get; init; }
        public long* SourceIndex { get; init; }
        public readonly int Batch = batch;
        public readonly long GateStep = (long)batch * 4 * hidden, StateStep = (long)batch * hidden;
        public readonly int Hidden = hidden;
    }

    // The rows of step t a forward block reads and writes: A_t, h_{t-1} (h0 at t = 0), c_{t-1}, c_t and h_t; the bias.
    // Streamed, also h_{t-1} transposed (read) and h_t transposed (written), in the two halves of s.Transposed by turns.
    private readonly struct ForwardStep(in Sequence s, long t)
    {
        public readonly float* TransposedPrev = s.Transposed is null ? null : s.Transposed + ((t & 1) * s.StateStep);
        public readonly float* TransposedNext = s.Transposed is null ? null : s.Transposed + (((t + 1) & 1) * s.StateStep);
        public readonly float* Bias = s.Bias;
        public readonly float* Source = s.Source;
        public readonly long* SourceIndex = s.SourceIndex is null ? null : s.SourceIndex + (t * s.Batch);
        public readonly float* Gates = s.Gates + (t * s.GateStep);
        public readonly float* HPrev = t == 0 ? s.H0 : s.Output + ((t - 1) * s.StateStep);
        public readonly float* CPrev = s.Cells + (t * s.StateStep);
        public readonly float* CNext = s.Cells + ((t + 1) * s.StateStep);
        public readonly float* HNext = s.Output + (t * s.StateStep);
    }

    // The rows of step t a backward block reads and writes: dA_{t+1} and f_{t+1} (null at the last step: nothing
    // flows back from past the sequence), dy_t (dh_n added at the last step), dH (this step's dh_t), dc, the
    // activations of step t, c_{t-1}, c_t and dA_t.
    private readonly struct BackwardStep(in Sequence s, long t, long steps)
    {
        public readonly float* DANext = t == steps - 1 ? null : s.DGates + ((t + 1) * s.GateStep);
        public readonly float* FNext = t == steps - 1 ? null : s.Gates + ((t + 1) * s.GateStep) + s.Hidden;
        public readonly float* DY = s.DY + (t * s.StateStep);
        public readonly float* DHN = t == steps - 1 ? s.DHN : null;
        public readonly float* DH = s.DH;
        public readonly float* DC = s.DC;
        public readonly float* Gates = s.Gates + (t * s.GateStep);
        public readonly float* CPrev = s.Cells + (t * s.StateStep);
        public readonly float* C = s.Cells + ((t + 1) * s.StateStep);
        public readonly float* DA = s.DGates + (t * s.GateStep);
        // Streamed: dA_{t+1} transposed (read) and dA_t transposed (written), in the two halves of s.Transposed by turns.
        public readonly float* DATransposedNext = s.Transposed is null ? null : s.Transposed + (((t + 1) & 1) * s.GateStep);
        public readonly float* DATransposed = s.Transposed is null ? null : s.Transposed + ((t & 1) * s.GateStep);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Sigmoid(TVec x) => Divide(Ones, Add(Ones, Exp(Subtract(default, x))));

    // tanh(x) = 2σ(2x) − 1: one exp; the absolute error near 0 stays at float32 rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Tanh(TVec x) => MultiplyAdd(Sigmoid(Add(x, x)), Broadcast(2f), Broadcast(-1f));
}
