using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Research.Models.Recurrent;

/// <summary>The step kernel's vector operations on 8 floats, AVX2 and FMA.</summary>
internal readonly unsafe struct Avx2Vector : IKernelVector<Vector256<float>>
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    public static Vector256<float> LoadAligned(float* p) => Avx.LoadAlignedVector256(p);

    public static Vector256<float> TailMask(int valid) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p, bool full, Vector256<float> mask) => full ? Avx.LoadVector256(p) : Avx.MaskLoad(p, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> value, bool full, Vector256<float> mask)
    {
        if (full)
            Avx.Store(p, value);
        else
            Avx.MaskStore(p, mask, value);
    }

    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

    public static Vector256<float> MultiplyAddNegated(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAddNegated(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> x, float low, float high) =>
        Avx.Min(Avx.Max(x, Vector256.Create(low)), Vector256.Create(high));

    public static Vector256<float> RoundToNearestInteger(Vector256<float> x) => Avx.RoundToNearestInteger(x);

    // 2^n built in the exponent bits: (n + 127) << 23.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> p, Vector256<float> n) =>
        p * Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32(n) + Vector256.Create(127), 23).AsSingle();
}
