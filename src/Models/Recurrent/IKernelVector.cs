using System.Runtime.Intrinsics;

namespace Research.Models.Recurrent;

/// <summary>
/// The float32 vector operations <see cref="LstmStepLoops{TVector, TOps}"/> is written in, so one implementation of the
/// step loops serves every width: <see cref="Avx2Vector"/> (<see cref="Vector256{T}"/>) and <see cref="Avx512Vector"/>
/// (<see cref="Vector512{T}"/>). Static abstract members on a struct type argument: the JIT compiles one specialised
/// copy of the loops per width and inlines every call, so the generic code costs nothing against hand-written
/// intrinsics. (The vectors' own operators cannot serve: their generic-math interfaces are not in the reference assemblies.)
/// </summary>
internal unsafe interface IKernelVector<TVector>
    where TVector : struct
{
    static abstract TVector Broadcast(float value);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>A load from a 64-byte-aligned address (the packed weight panels).</summary>
    static abstract TVector LoadAligned(float* p);

    /// <summary>Lanes [0, valid) set: the tail block of a hidden size that is not a multiple of the lane count.</summary>
    static abstract TVector TailMask(int valid);

    /// <summary>A whole vector when <paramref name="full"/>, else only the lanes of <paramref name="mask"/> (the others read 0, the memory past them untouched).</summary>
    static abstract TVector Load(float* p, bool full, TVector mask);

    static abstract void Store(float* p, TVector value, bool full, TVector mask);

    /// <summary>a·b + c in one rounding.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>c − a·b in one rounding.</summary>
    static abstract TVector MultiplyAddNegated(TVector a, TVector b, TVector c);

    /// <summary>Each lane clamped to [<paramref name="low"/>, <paramref name="high"/>].</summary>
    static abstract TVector Clamp(TVector x, float low, float high);

    static abstract TVector RoundToNearestInteger(TVector x);

    /// <summary>p · 2^n for integral n in the float range of a normal exponent.</summary>
    static abstract TVector ScaleByPowerOfTwo(TVector p, TVector n);
}
