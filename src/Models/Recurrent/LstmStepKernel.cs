using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The per-time-step work of <see cref="LstmKernelLayerFunction"/> on the CPU in float32, in C# with AVX2/FMA intrinsics
/// (<see cref="Vector256{T}"/>), replacing the step loop's libtorch ops with one fused pass per step:
/// <code>
/// forward   per block of 8 hidden units u and three batch rows:
///             A[b, gate·H + u] += Σ_k h_{t-1}[b, k] · W_hh[gate·H + u, k]       (i, f, g, o accumulated side by side)
///             then per row, while the block is in cache:
///             i, f, o = σ(·), g = tanh(·);  c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  per block of 24 hidden units and four batch rows:
///             dh = dH_t[b, u] + Σ_k dA_{t+1}[b, k] · W_hh[k, u]                     (k over all 4H gate rows)
///             dc = dc⊙f_{t+1} + dh⊙o⊙tanh'(c_t);  dA_t[b, i|f|g] = D_t⊙dc;  dA_t[b, o] = D_t⊙dh
///             with the activation derivatives D_t computed there from i, f, g, o, c_{t-1}, c_t
/// </code>
/// W_hh is packed once per layer call into panels whose inner loop reads one contiguous row of 32 (forward) or 24
/// (backward) floats per k. The blocks of hidden units are split between libtorch's threads and run on libtorch's own
/// OpenMP team (<see cref="OpenMpTeam"/>). A hidden size that is not a multiple of 8 or 24 is handled with masked
/// loads and stores, a batch that is not a multiple of the rows per pass by repeating its last row. Results equal the
/// torch-op loop within float32 rounding (a different summation order and a polynomial exp); LstmStepKernelTests
/// checks that. AVX-512 machines run the same Vector256 code.
/// </summary>
public sealed unsafe class LstmStepKernel : IDisposable
{
    private const int Lanes = 8;          // floats in a Vector256
    private const int ForwardUnits = 8;   // hidden units per forward block: 4 gate vectors of 8
    private const int BackwardUnits = 24; // hidden units per backward block: 3 vectors of 8
    private const int KChunk = 96;        // forward k per pass over the rows: 96 × 128 bytes of panel, a third of L1
    private const int BackwardKChunk = 128; // backward k per pass: 128 × 96 bytes of panel

    private readonly int hidden;
    private readonly int batch;
    private readonly int threads;
    private readonly int blocks;
    private readonly float* packed;
    private readonly Action<int> runPartition;

    // The pointers of the step being run, set before the partitions start (they only read them).
    private float* stepGates, stepHPrev, stepCPrev, stepCNext, stepHNext;
    private float* stepDANext, stepDH, stepDC, stepGatesNow, stepFNext, stepCPrevNow, stepCNow, stepDA;

    /// <summary>Whether this CPU can run the kernel (AVX2 and FMA).</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Whether the kernel can run a layer on <paramref name="x"/>: a float32 CPU tensor on a supported CPU.</summary>
    public static bool AppliesTo(Tensor x) => IsSupported && x.device_type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32;

    private LstmStepKernel(Tensor weightHh, int batch, bool backward)
    {
        hidden = (int)weightHh.shape[1];
        this.batch = batch;
        var units = backward ? BackwardUnits : ForwardUnits;
        blocks = (hidden + units - 1) / units;
        threads = Math.Max(1, Math.Min(get_num_threads(), blocks));
        var rows = backward ? 4 * hidden : hidden;
        var size = (nuint)blocks * (nuint)rows * (nuint)(backward ? BackwardUnits : 4 * ForwardUnits);
        packed = (float*)NativeMemory.AlignedAlloc(size * sizeof(float), 64);
        using var w = weightHh.detach().contiguous();
        if (backward)
            PackBackward(Data(w));
        else
            PackForward(Data(w));
        runPartition = backward ? BackwardPartition : ForwardPartition;
    }

    /// <summary>A kernel for the forward steps of a layer with this W_hh [4H, H] and batch size.</summary>
    public static LstmStepKernel ForForward(Tensor weightHh, int batch) => new(weightHh, batch, backward: false);

    /// <summary>A kernel for the backward steps of a layer with this W_hh [4H, H] and batch size.</summary>
    private static LstmStepKernel ForBackward(Tensor weightHh, int batch) => new(weightHh, batch, backward: true);

    /// <summary>The first float of a contiguous CPU float32 tensor (or view).</summary>
    private static float* Data(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>
    /// One forward step. <paramref name="gates"/> [B, 4H] holds x_t·W_ihᵀ + biases on entry and the activations
    /// i, f, g, o on exit; c_t and h_t are written to <paramref name="cNext"/> and <paramref name="hNext"/> [B, H].
    /// </summary>
    private void Forward(float* gates, float* hPrev, float* cPrev, float* cNext, float* hNext)
    {
        stepGates = gates;
        stepHPrev = hPrev;
        stepCPrev = cPrev;
        stepCNext = cNext;
        stepHNext = hNext;
        Run();
    }

    /// <summary>
    /// One backward step. <paramref name="dH"/> [B, H] is the gradient reaching h_t from above; <paramref name="dANext"/>
    /// (dA_{t+1}) and <paramref name="fNext"/> (the f gate of step t+1, row stride 4H) are null at the last step.
    /// <paramref name="dC"/> [B, H] carries dc from step t+1 to step t. <paramref name="gatesNow"/> [B, 4H] holds the
    /// activations i, f, g, o of step t and <paramref name="cPrev"/>, <paramref name="c"/> [B, H] the cells c_{t-1}, c_t;
    /// dA_t [B, 4H] is written to <paramref name="dA"/>.
    /// </summary>
    private void Backward(float* dANext, float* dH, float* dC, float* gatesNow, float* fNext, float* cPrev, float* c, float* dA)
    {
        stepDANext = dANext;
        stepDH = dH;
        stepDC = dC;
        stepGatesNow = gatesNow;
        stepFNext = fNext;
        stepCPrevNow = cPrev;
        stepCNow = c;
        stepDA = dA;
        Run();
    }

    public void Dispose() => NativeMemory.AlignedFree(packed);

    /// <summary>
    /// The forward step loop of <see cref="LstmKernelLayerFunction"/>: <paramref name="gates"/> [T, B, 4H] from input
    /// projections to activations, <paramref name="cells"/> [T+1, B, H] from c0 at 0 to c_T, <paramref name="output"/>
    /// [T, B, H] = h_1 … h_T. All three contiguous (made so by the caller).
    /// </summary>
    public static void RunForward(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh)
    {
        using var kernel = ForForward(weightHh, (int)gates.shape[1]);
        kernel.ForwardSteps(gates, h0, cells, output);
    }

    /// <summary><see cref="RunForward"/> with this kernel's packed W_hh (made by <see cref="ForForward"/>; backward kernels are private).</summary>
    public void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output)
    {
        var steps = gates.shape[0];
        using var h0Dense = h0.contiguous();
        float* a = Data(gates), c = Data(cells), y = Data(output), h = Data(h0Dense);
        var (gateStep, stateStep) = ((long)batch * 4 * hidden, (long)batch * hidden);
        for (long t = 0; t < steps; t++)
            Forward(a + t * gateStep, t == 0 ? h : y + (t - 1) * stateStep, c + t * stateStep, c + (t + 1) * stateStep, y + t * stateStep);
    }

    /// <summary>
    /// The backward step loop of <see cref="LstmKernelLayerFunction"/>, activation derivatives included: writes dA_t into
    /// <paramref name="dGates"/> [T, B, 4H]; <paramref name="dH"/> [T, B, H] is the gradient from above (consumed),
    /// <paramref name="dC"/> [B, H] goes from dc_T to dc_0 (before the f_0 factor); <paramref name="gates"/> and
    /// <paramref name="cells"/> are the forward's activations and c0 … c_T. All contiguous.
    /// </summary>
    public static void RunBackward(Tensor dGates, Tensor dH, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh)
    {
        var (steps, batch, hidden) = (dGates.shape[0], dGates.shape[1], weightHh.shape[1]);
        using var kernel = ForBackward(weightHh, (int)batch);
        float* d = Data(dGates), dh = Data(dH), dc = Data(dC), a = Data(gates), c = Data(cells);
        var (gateStep, stateStep) = (batch * 4 * hidden, batch * hidden);
        for (var t = steps - 1; t >= 0; t--)
        {
            var last = t == steps - 1;
            kernel.Backward(last ? null : d + (t + 1) * gateStep, dh + t * stateStep, dc, a + t * gateStep,
                last ? null : a + (t + 1) * gateStep + hidden, c + t * stateStep, c + (t + 1) * stateStep, d + t * gateStep);
        }
    }

    private void Run() => OpenMpTeam.Run(threads, runPartition);

    private (int First, int End) BlocksOf(int partition) =>
        (blocks * partition / threads, blocks * (partition + 1) / threads);

    private void ForEachBlock(Action<int> pack) => OpenMpTeam.Run(threads, partition =>
    {
        var (first, end) = BlocksOf(partition);
        for (var ub = first; ub < end; ub++)
            pack(ub);
    });

    // Forward panel of block ub: for k in [0, H) the 32 floats W_i[u..u+8, k], W_f[…], W_g[…], W_o[…] (zeros past H).
    // Each W_hh row is read once, contiguously; a block's panel is written while it sits in cache.
    private void PackForward(float* w)
    {
        ForEachBlock(ub =>
        {
            var panel = packed + (long)ub * hidden * 32;
            for (var gate = 0; gate < 4; gate++)
                for (var lane = 0; lane < ForwardUnits; lane++)
                {
                    var unit = ub * ForwardUnits + lane;
                    var dst = panel + gate * ForwardUnits + lane;
                    if (unit >= hidden)
                    {
                        for (var k = 0; k < hidden; k++)
                            dst[(long)k * 32] = 0f;
                        continue;
                    }
                    var src = w + ((long)gate * hidden + unit) * hidden;
                    for (var k = 0; k < hidden; k++)
                        dst[(long)k * 32] = src[k];
                }
        });
    }

    // Backward panel of block ub: for k in [0, 4H) the 24 floats W_hh[k, u..u+24] (zeros past H).
    private void PackBackward(float* w)
    {
        var gateRows = 4 * hidden;
        ForEachBlock(ub =>
        {
            var u = ub * BackwardUnits;
            var width = Math.Min(BackwardUnits, hidden - u);
            var panel = packed + (long)ub * gateRows * BackwardUnits;
            for (var k = 0; k < gateRows; k++)
            {
                var dst = new Span<float>(panel + ((long)k * BackwardUnits), BackwardUnits);
                new ReadOnlySpan<float>(w + ((long)k * hidden) + u, width).CopyTo(dst);
                dst[width..].Clear();
            }
        });
    }

    // AggressiveOptimization: compiled fully optimised at once, not first at tier 0 (whose loop would run unoptimised).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardPartition(int partition)
    {
        var (first, end) = BlocksOf(partition);
        var gateStride = 4 * hidden;
        for (var ub = first; ub < end; ub++)
        {
            var u = ub * ForwardUnits;
            var mask = TailMask(hidden - u);
            var full = hidden - u >= Lanes;
            // k in chunks whose slice of the panel (KChunk × 128 bytes) stays in L1 while every row pair reads it;
            // the partial sums wait in A between chunks.
            for (var k0 = 0; k0 < hidden; k0 += KChunk)
            {
                var k1 = Math.Min(hidden, k0 + KChunk);
                for (var b0 = 0; b0 < batch; b0 += 3)
                {
                    // Past the batch, rows repeat the last one: the same sums land twice in the same place.
                    int b1 = Math.Min(b0 + 1, batch - 1), b2 = Math.Min(b0 + 2, batch - 1);
                    float* a0 = stepGates + (long)b0 * gateStride + u, a1 = stepGates + (long)b1 * gateStride + u, a2 = stepGates + (long)b2 * gateStride + u;
                    float* h0 = stepHPrev + (long)b0 * hidden, h1 = stepHPrev + (long)b1 * hidden, h2 = stepHPrev + (long)b2 * hidden;
                    var (i0, f0, g0, o0) = (Load(a0, full, mask), Load(a0 + hidden, full, mask), Load(a0 + 2 * hidden, full, mask), Load(a0 + 3 * hidden, full, mask));
                    var (i1, f1, g1, o1) = (Load(a1, full, mask), Load(a1 + hidden, full, mask), Load(a1 + 2 * hidden, full, mask), Load(a1 + 3 * hidden, full, mask));
                    var (i2, f2, g2, o2) = (Load(a2, full, mask), Load(a2 + hidden, full, mask), Load(a2 + 2 * hidden, full, mask), Load(a2 + 3 * hidden, full, mask));
                    var w = packed + ((long)ub * hidden + k0) * 32;
                    for (var k = k0; k < k1; k++, w += 32)
                    {
                        // 12 accumulators + 3 broadcasts + 1 weight vector: all 16 ymm registers, 12 FMAs per 7 loads.
                        var x0 = Vector256.Create(h0[k]);
                        var x1 = Vector256.Create(h1[k]);
                        var x2 = Vector256.Create(h2[k]);
                        var wv = Avx.LoadAlignedVector256(w);
                        i0 = Fma.MultiplyAdd(wv, x0, i0);
                        i1 = Fma.MultiplyAdd(wv, x1, i1);
                        i2 = Fma.MultiplyAdd(wv, x2, i2);
                        wv = Avx.LoadAlignedVector256(w + 8);
                        f0 = Fma.MultiplyAdd(wv, x0, f0);
                        f1 = Fma.MultiplyAdd(wv, x1, f1);
                        f2 = Fma.MultiplyAdd(wv, x2, f2);
                        wv = Avx.LoadAlignedVector256(w + 16);
                        g0 = Fma.MultiplyAdd(wv, x0, g0);
                        g1 = Fma.MultiplyAdd(wv, x1, g1);
                        g2 = Fma.MultiplyAdd(wv, x2, g2);
                        wv = Avx.LoadAlignedVector256(w + 24);
                        o0 = Fma.MultiplyAdd(wv, x0, o0);
                        o1 = Fma.MultiplyAdd(wv, x1, o1);
                        o2 = Fma.MultiplyAdd(wv, x2, o2);
                    }
                    StoreGates(a2, i2, f2, g2, o2, full, mask);
                    StoreGates(a1, i1, f1, g1, o1, full, mask);
                    StoreGates(a0, i0, f0, g0, o0, full, mask);
                }
            }
            for (var b = 0; b < batch; b++)
                ForwardCell(b, u, full, mask);
        }
    }

    // The cell maths of LstmCell.Step on one row's 8 units, from the pre-activations to the stored i, f, g, o, c_t, h_t.
    private void ForwardCell(int b, int u, bool full, Vector256<float> mask)
    {
        var a = stepGates + (long)b * 4 * hidden + u;
        var i = Sigmoid(Load(a, full, mask));
        var f = Sigmoid(Load(a + hidden, full, mask));
        var g = Tanh(Load(a + 2 * hidden, full, mask));
        var o = Sigmoid(Load(a + 3 * hidden, full, mask));
        var state = (long)b * hidden + u;
        var c = Fma.MultiplyAdd(f, Load(stepCPrev + state, full, mask), i * g);
        StoreGates(a, i, f, g, o, full, mask);
        Store(stepCNext + state, c, full, mask);
        Store(stepHNext + state, o * Tanh(c), full, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardPartition(int partition)
    {
        var (first, end) = BlocksOf(partition);
        var gateRows = 4 * hidden;
        var chunks = stepDANext is null ? 0 : gateRows;
        for (var ub = first; ub < end; ub++)
        {
            var u = ub * BackwardUnits;
            var (mask0, full0) = (TailMask(hidden - u), hidden - u >= Lanes);
            var (mask1, full1) = (TailMask(hidden - u - Lanes), hidden - u - Lanes >= Lanes);
            var (mask2, full2) = (TailMask(hidden - u - (2 * Lanes)), hidden - u - (2 * Lanes) >= Lanes);
            // As forward: k in L1-sized chunks of the panel, the partial sums of dh_t waiting in dH between chunks.
            for (var k0 = 0; k0 < chunks; k0 += BackwardKChunk)
            {
                var k1 = Math.Min(chunks, k0 + BackwardKChunk);
                for (var b0 = 0; b0 < batch; b0 += 4)
                {
                    // Past the batch, rows repeat the last one: the same sums land twice in the same place.
                    int r1 = Math.Min(b0 + 1, batch - 1), r2 = Math.Min(b0 + 2, batch - 1), r3 = Math.Min(b0 + 3, batch - 1);
                    float* d0 = stepDH + (long)b0 * hidden + u, d1 = stepDH + (long)r1 * hidden + u;
                    float* d2 = stepDH + (long)r2 * hidden + u, d3 = stepDH + (long)r3 * hidden + u;
                    float* x0 = stepDANext + (long)b0 * gateRows, x1 = stepDANext + (long)r1 * gateRows;
                    float* x2 = stepDANext + (long)r2 * gateRows, x3 = stepDANext + (long)r3 * gateRows;
                    var (s00, s01, s02) = (Load(d0, full0, mask0), Load(d0 + Lanes, full1, mask1), Load(d0 + (2 * Lanes), full2, mask2));
                    var (s10, s11, s12) = (Load(d1, full0, mask0), Load(d1 + Lanes, full1, mask1), Load(d1 + (2 * Lanes), full2, mask2));
                    var (s20, s21, s22) = (Load(d2, full0, mask0), Load(d2 + Lanes, full1, mask1), Load(d2 + (2 * Lanes), full2, mask2));
                    var (s30, s31, s32) = (Load(d3, full0, mask0), Load(d3 + Lanes, full1, mask1), Load(d3 + (2 * Lanes), full2, mask2));
                    var w = packed + (((long)ub * gateRows) + k0) * BackwardUnits;
                    for (var k = k0; k < k1; k++, w += BackwardUnits)
                    {
                        // 12 accumulators + 3 weight vectors + 1 broadcast: all 16 ymm registers, 12 FMAs per 7 loads.
                        var wa = Avx.LoadAlignedVector256(w);
                        var wb = Avx.LoadAlignedVector256(w + 8);
                        var wc = Avx.LoadAlignedVector256(w + 16);
                        var x = Vector256.Create(x0[k]);
                        s00 = Fma.MultiplyAdd(wa, x, s00);
                        s01 = Fma.MultiplyAdd(wb, x, s01);
                        s02 = Fma.MultiplyAdd(wc, x, s02);
                        x = Vector256.Create(x1[k]);
                        s10 = Fma.MultiplyAdd(wa, x, s10);
                        s11 = Fma.MultiplyAdd(wb, x, s11);
                        s12 = Fma.MultiplyAdd(wc, x, s12);
                        x = Vector256.Create(x2[k]);
                        s20 = Fma.MultiplyAdd(wa, x, s20);
                        s21 = Fma.MultiplyAdd(wb, x, s21);
                        s22 = Fma.MultiplyAdd(wc, x, s22);
                        x = Vector256.Create(x3[k]);
                        s30 = Fma.MultiplyAdd(wa, x, s30);
                        s31 = Fma.MultiplyAdd(wb, x, s31);
                        s32 = Fma.MultiplyAdd(wc, x, s32);
                    }
                    StoreRow(d3, s30, s31, s32, full0, full1, full2, mask0, mask1, mask2);
                    StoreRow(d2, s20, s21, s22, full0, full1, full2, mask0, mask1, mask2);
                    StoreRow(d1, s10, s11, s12, full0, full1, full2, mask0, mask1, mask2);
                    StoreRow(d0, s00, s01, s02, full0, full1, full2, mask0, mask1, mask2);
                }
            }
            for (var b = 0; b < batch; b++)
            {
                BackwardCell(b, u, full0, mask0);
                BackwardCell(b, u + Lanes, full1, mask1);
                BackwardCell(b, u + (2 * Lanes), full2, mask2);
            }
        }
    }

    // One row's 24 units of dh_t back into dH.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* d, Vector256<float> s0, Vector256<float> s1, Vector256<float> s2,
        bool full0, bool full1, bool full2, Vector256<float> mask0, Vector256<float> mask1, Vector256<float> mask2)
    {
        Store(d, s0, full0, mask0);
        Store(d + Lanes, s1, full1, mask1);
        Store(d + (2 * Lanes), s2, full2, mask2);
    }

    // dc and dA_t of one row's 8 units from dh_t, with the activation derivatives of LstmLayerFunction's backward:
    // dc = dc⊙f_{t+1} + dh⊙o⊙(1 − tanh²c_t);  dA = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙(1 − g²)]⊙dc, [tanh(c_t)⊙σ'(o)]⊙dh.
    private void BackwardCell(int b, int u, bool full, Vector256<float> mask)
    {
        if (u >= hidden)
            return;
        var one = Vector256<float>.One;
        var state = (long)b * hidden + u;
        var row = (long)b * 4 * hidden + u;
        var a = stepGatesNow + row;
        var (i, f, g, o) = (Load(a, full, mask), Load(a + hidden, full, mask), Load(a + 2 * hidden, full, mask), Load(a + 3 * hidden, full, mask));
        var tanhC = Tanh(Load(stepCNow + state, full, mask));
        var dh = Load(stepDH + state, full, mask);
        var dc = Load(stepDC + state, full, mask);
        if (stepFNext is not null)
            dc *= Load(stepFNext + row, full, mask);
        dc = Fma.MultiplyAdd(dh, o * Fma.MultiplyAddNegated(tanhC, tanhC, one), dc);
        Store(stepDC + state, dc, full, mask);
        var d = stepDA + row;
        Store(d, g * i * (one - i) * dc, full, mask);
        Store(d + hidden, Load(stepCPrevNow + state, full, mask) * f * (one - f) * dc, full, mask);
        Store(d + 2 * hidden, i * Fma.MultiplyAddNegated(g, g, one) * dc, full, mask);
        Store(d + 3 * hidden, tanhC * o * (one - o) * dh, full, mask);
    }

    // The four gate vectors of one row's 8 units, at their places i, f, g, o in the row of A.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreGates(float* a, Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> o, bool full, Vector256<float> mask)
    {
        Store(a, i, full, mask);
        Store(a + hidden, f, full, mask);
        Store(a + 2 * hidden, g, full, mask);
        Store(a + 3 * hidden, o, full, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>
    /// e^x as Cephes' expf (about 1 ulp): x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r, 2^n put
    /// into the exponent bits. x is clamped to [−87.3, 88.3], where 2^n stays a normal float; σ and tanh saturate
    /// long before. ~15 instructions, against ~130 cycles a vector for Vector256.Exp in .NET 10.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Avx.Min(Avx.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.3f));
        var n = Avx.RoundToNearestInteger(x * Vector256.Create(1.44269504088896341f));
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(0.693359375f), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(-2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Fma.MultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var scale = Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    // tanh(x) = 2σ(2x) − 1: one exp; the absolute error near 0 stays at float32 rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x) => Fma.MultiplyAdd(Sigmoid(x + x), Vector256.Create(2f), -Vector256<float>.One);

    // Lanes [0, valid) set: the tail block of a hidden size that is not a multiple of 8.
    private static Vector256<float> TailMask(int valid) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* p, bool full, Vector256<float> mask) => full ? Avx.LoadVector256(p) : Avx.MaskLoad(p, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* p, Vector256<float> value, bool full, Vector256<float> mask)
    {
        if (full)
            Avx.Store(p, value);
        else
            Avx.MaskStore(p, mask, value);
    }
}
