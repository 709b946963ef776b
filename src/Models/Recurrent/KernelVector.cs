using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The float32 vector operations <see cref="LstmStepLoops{TVec}"/> is written in, at both widths it runs:
/// <see cref="Vector512{T}"/> on AVX-512 F and <see cref="Vector256{T}"/> on AVX2 + FMA, each operation with its two
/// instructions side by side. The JIT compiles one copy of the loops per width (a struct type argument), in which
/// <c>Wide</c> is a constant: each copy keeps only its own width's instructions, inlined, so the generic code costs
/// nothing against hand-written intrinsics (checked in the JIT's disassembly, DOTNET_JitDisasm, and by bench lstm). (The vectors' own
/// generic-math interface, ISimdVector, is not public in .NET 10.)
/// </summary>
internal abstract unsafe class KernelVector<TVec>
    where TVec : struct
{
    // A constant to the JIT once the type is initialised, as LstmStepKernel.NativeWidth does before any loops are
    // made; a static readonly field is far smaller IL than typeof == typeof, which keeps every operation within the
    // JIT's inline budget.
    private static readonly bool Wide = typeof(TVec) == typeof(Vector512<float>);

    // Vector512.IsHardwareAccelerated is false where the runtime judges 512-bit code slower (CPUs that throttle for it).
    public static bool IsSupported =>
        Wide ? Avx512F.IsSupported && Vector512.IsHardwareAccelerated : Avx2.IsSupported && Fma.IsSupported;

    /// <summary>L, the floats in one vector: 16 or 8.</summary>
    protected static int Lanes => Unsafe.SizeOf<TVec>() / sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Broadcast(float value) => Wide ? Of(Vector512.Create(value)) : Of(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Add(TVec a, TVec b) => Wide ? Of(W(a) + W(b)) : Of(N(a) + N(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Subtract(TVec a, TVec b) => Wide ? Of(W(a) - W(b)) : Of(N(a) - N(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Multiply(TVec a, TVec b) => Wide ? Of(W(a) * W(b)) : Of(N(a) * N(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Divide(TVec a, TVec b) => Wide ? Of(W(a) / W(b)) : Of(N(a) / N(b));

    /// <summary>a·b + c in one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec MultiplyAdd(TVec a, TVec b, TVec c) =>
        Wide ? Of(Avx512F.FusedMultiplyAdd(W(a), W(b), W(c))) : Of(Fma.MultiplyAdd(N(a), N(b), N(c)));

    /// <summary>c − a·b in one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec MultiplyAddNegated(TVec a, TVec b, TVec c) =>
        Wide ? Of(Avx512F.FusedMultiplyAddNegated(W(a), W(b), W(c))) : Of(Fma.MultiplyAddNegated(N(a), N(b), N(c)));

    /// <summary>A load from a 64-byte-aligned address (the packed weight panels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec LoadAligned(float* p) => Wide ? Of(Avx512F.LoadAlignedVector512(p)) : Of(Avx.LoadAlignedVector256(p));

    /// <summary>Lanes [0, valid) set: the tail block of a hidden size that is not a multiple of L.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec TailMask(int valid) => Wide
        ? Of(Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(valid)).AsSingle())
        : Of(Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(valid)).AsSingle());

    /// <summary>A whole vector when <paramref name="full"/>, else only the lanes of <paramref name="mask"/> (the others read 0, the memory past them untouched).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Load(float* p, bool full, TVec mask)
    {
        if (Wide)
            return Of(full ? Avx512F.LoadVector512(p) : Avx512F.MaskLoad(p, W(mask), Vector512<float>.Zero));
        return Of(full ? Avx.LoadVector256(p) : Avx.MaskLoad(p, N(mask)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void Store(float* p, TVec value, bool full, TVec mask)
    {
        if (Wide && full)
            Avx512F.Store(p, W(value));
        else if (Wide)
            Avx512F.MaskStore(p, W(mask), W(value));
        else if (full)
            Avx.Store(p, N(value));
        else
            Avx.MaskStore(p, N(mask), N(value));
    }

    /// <summary>Each lane clamped to [<paramref name="low"/>, <paramref name="high"/>].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Clamp(TVec x, float low, float high) => Wide
        ? Of(Avx512F.Min(Avx512F.Max(W(x), Vector512.Create(low)), Vector512.Create(high)))
        : Of(Avx.Min(Avx.Max(N(x), Vector256.Create(low)), Vector256.Create(high)));

    // AVX-512: RoundScale with imm 0 rounds to nearest even, keeping 0 fraction bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec RoundToNearestInteger(TVec x) =>
        Wide ? Of(Avx512F.RoundScale(W(x), 0)) : Of(Avx.RoundToNearestInteger(N(x)));

    /// <summary>p · 2^n for integral n in the range of a normal exponent.</summary>
    // AVX-512: vscalefps in one instruction; AVX2: 2^n built in the exponent bits, (n + 127) << 23.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec ScaleByPowerOfTwo(TVec p, TVec n) => Wide
        ? Of(Avx512F.Scale(W(p), W(n)))
        : Of(N(p) * Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32(N(n)) + Vector256.Create(127), 23).AsSingle());

    /// <summary>The first float of a contiguous CPU float32 tensor (or view).</summary>
    protected static float* Data(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    protected static TVec Ones => Broadcast(1f);

    /// <summary>A whole vector from any address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Load(float* p) => Wide ? Of(Avx512F.LoadVector512(p)) : Of(Avx.LoadVector256(p));

    /// <summary>A whole vector to any address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void Store(float* p, TVec value)
    {
        if (Wide)
            Avx512F.Store(p, W(value));
        else
            Avx.Store(p, N(value));
    }

    /// <summary>The lane-wise larger of two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Max(TVec a, TVec b) => Wide ? Of(Avx512F.Max(W(a), W(b))) : Of(Avx.Max(N(a), N(b)));

    /// <summary>The sum of a vector's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static float SumOfLanes(TVec v) => Wide ? Vector512.Sum(W(v)) : Vector256.Sum(N(v));

    /// <summary>The largest of a vector's lanes (NaN lanes aside, as <see cref="Max"/>).</summary>
    protected static float MaxOfLanes(TVec v)
    {
        var lanes = stackalloc float[Lanes];
        Store(lanes, v);
        var max = lanes[0];
        for (var l = 1; l < Lanes; l++)
            max = MathF.Max(max, lanes[l]);
        return max;
    }

    /// <summary>
    /// e^x as Cephes' expf (about 1 ulp): x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r, then
    /// · 2^n. x is clamped to [−87.3, 88.3], where 2^n stays a normal float; σ and tanh saturate long before.
    /// ~15 instructions, against ~130 cycles a vector for Vector256.Exp in .NET 10.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TVec Exp(TVec x)
    {
        x = Clamp(x, -87.3f, 88.3f);
        var n = RoundToNearestInteger(Multiply(x, Broadcast(1.44269504088896341f)));
        var r = MultiplyAddNegated(n, Broadcast(0.693359375f), x);
        r = MultiplyAddNegated(n, Broadcast(-2.12194440e-4f), r);
        var p = Broadcast(1.9875691500e-4f);
        p = MultiplyAdd(p, r, Broadcast(1.3981999507e-3f));
        p = MultiplyAdd(p, r, Broadcast(8.3334519073e-3f));
        p = MultiplyAdd(p, r, Broadcast(4.1665795894e-2f));
        p = MultiplyAdd(p, r, Broadcast(1.6666665459e-1f));
        p = MultiplyAdd(p, r, Broadcast(5.0000001201e-1f));
        p = Add(MultiplyAdd(p, Multiply(r, r), r), Ones);
        return ScaleByPowerOfTwo(p, n);
    }

    // Reinterpretations between TVec and the width it is; in each compiled copy only the matching pair is reached.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> W(TVec v) => Unsafe.BitCast<TVec, Vector512<float>>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> N(TVec v) => Unsafe.BitCast<TVec, Vector256<float>>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Of(Vector512<float> v) => Unsafe.BitCast<Vector512<float>, TVec>(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Of(Vector256<float> v) => Unsafe.BitCast<Vector256<float>, TVec>(v);
}
