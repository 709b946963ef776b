using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Research.Models.Recurrent;

/// <summary>The step kernel's vector operations on 16 floats, AVX-512 F (masked loads and stores, vscalefps).</summary>
internal readonly unsafe struct Avx512Vector : IKernelVector<Vector512<float>>
{
    // Vector512.IsHardwareAccelerated is false where the runtime judges 512-bit code slower (CPUs that throttle for it).
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    public static Vector512<float> LoadAligned(float* p) => Avx512F.LoadAlignedVector512(p);

    public static Vector512<float> TailMask(int valid) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p, bool full, Vector512<float> mask) =>
        full ? Avx512F.LoadVector512(p) : Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector512<float> value, bool full, Vector512<float> mask)
    {
        if (full)
            Avx512F.Store(p, value);
        else
            Avx512F.MaskStore(p, mask, value);
    }

    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    public static Vector512<float> MultiplyAddNegated(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAddNegated(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> x, float low, float high) =>
        Avx512F.Min(Avx512F.Max(x, Vector512.Create(low)), Vector512.Create(high));

    // RoundScale with imm 0: round to nearest even, keep 0 fraction bits.
    public static Vector512<float> RoundToNearestInteger(Vector512<float> x) => Avx512F.RoundScale(x, 0);

    // vscalefps: p · 2^floor(n) in one instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> p, Vector512<float> n) => Avx512F.Scale(p, n);
}
