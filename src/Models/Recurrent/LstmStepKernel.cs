using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The per-time-step work of <see cref="LstmKernelLayerFunction"/> on the CPU in float32, in C# SIMD, replacing the step
/// loop's libtorch ops with one fused pass per step (recurrent product, gate activations and cell update forward;
/// recurrent product, activation derivatives and dc backward; see <see cref="LstmStepLoops{TVec, TRows}"/>).
/// The vector width is chosen at run time: 512 bits (<see cref="Vector512{T}"/>, AVX-512 F) where the CPU has it and
/// the runtime accelerates it, else 256 bits (<see cref="Vector256{T}"/>, AVX2 and FMA); <see cref="UseWidth"/>
/// overrides it for tests and benchmarks. Results equal the torch-op loop within float32 rounding at either width
/// (a different summation order and a polynomial exp); LstmStepKernelTests checks both.
/// </summary>
public sealed class LstmStepKernel : IDisposable
{
    private readonly IStepLoops loops;

    /// <summary>The widest vector this CPU runs the kernel with: 512, 256, or 0 where it lacks AVX2/FMA.</summary>
    public static int NativeWidth { get; } = KernelVector<Vector512<float>>.IsSupported ? 512 : KernelVector<Vector256<float>>.IsSupported ? 256 : 0;

    /// <summary>The vector width in bits the kernel runs with now: <see cref="NativeWidth"/> unless <see cref="UseWidth"/> said otherwise.</summary>
    public static int VectorWidth { get; private set; } = NativeWidth;

    /// <summary>
    /// Batch rows per forward row group: 4 (16 accumulators) where the JIT has AVX-512's 32 vector registers, at either
    /// width (7–9 % faster forward steps than 3 on this project's AVX-512 machine), else 3, as 16 accumulators would not
    /// fit AVX2's 16 registers. <see cref="UseForwardRows"/> overrides it for tests.
    /// </summary>
    public static int ForwardRows { get; private set; } = Avx512F.IsSupported ? 4 : 3;

    /// <summary>Makes the kernels created from now on group 3 or 4 batch rows in the forward product, process-wide.</summary>
    public static void UseForwardRows(int rows) =>
        ForwardRows = rows is 3 or 4 ? rows : throw new ArgumentOutOfRangeException(nameof(rows), rows, "the forward product groups 3 or 4 batch rows");

    /// <summary>The instruction set of <see cref="VectorWidth"/>, for reports.</summary>
    public static string InstructionSet => VectorWidth switch
    {
        512 => "AVX-512 F, Vector512",
        256 => "AVX2/FMA, Vector256",
        _ => "none",
    };

    /// <summary>Whether this CPU can run the kernel (AVX2 and FMA at least).</summary>
    public static bool IsSupported => NativeWidth > 0;

    /// <summary>Whether the kernel can run a layer on <paramref name="x"/>: a float32 CPU tensor on a supported CPU.</summary>
    public static bool AppliesTo(Tensor x) => IsSupported && x.device_type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32;

    /// <summary>
    /// Makes the kernels created from now on run <paramref name="bits"/>-bit vectors (256 or 512), process-wide; a width
    /// this CPU lacks is refused with <see cref="NotSupportedException"/> rather than run on the other one.
    /// </summary>
    public static void UseWidth(int bits)
    {
        var supported = bits switch
        {
            512 => KernelVector<Vector512<float>>.IsSupported,
            256 => KernelVector<Vector256<float>>.IsSupported,
            _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "the step kernel runs 256- or 512-bit vectors"),
        };
        if (!supported)
        {
            throw new NotSupportedException(bits == 512
                ? "this CPU (or runtime) has no accelerated AVX-512 F: the step kernel cannot run 512-bit vectors here"
                : "this CPU lacks AVX2 and FMA: the step kernel cannot run 256-bit vectors here");
        }
        VectorWidth = bits;
    }

    private LstmStepKernel(Tensor weightHh, int batch, bool backward)
    {
        loops = (VectorWidth, ForwardRows) switch
        {
            (512, 4) => new LstmStepLoops<Vector512<float>, FourRows>(weightHh, batch, backward),
            (512, _) => new LstmStepLoops<Vector512<float>, ThreeRows>(weightHh, batch, backward),
            (256, 4) => new LstmStepLoops<Vector256<float>, FourRows>(weightHh, batch, backward),
            (256, _) => new LstmStepLoops<Vector256<float>, ThreeRows>(weightHh, batch, backward),
            _ => throw new NotSupportedException("this CPU lacks AVX2 and FMA: the step kernel cannot run here"),
        };
    }

    /// <summary>A kernel for the forward steps of a layer with this W_hh [4H, H] and batch size.</summary>
    public static LstmStepKernel ForForward(Tensor weightHh, int batch) => new(weightHh, batch, backward: false);

    public void Dispose() => loops.Dispose();

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

    /// <summary><see cref="RunForward"/> with this kernel's packed W_hh (made by <see cref="ForForward"/>).</summary>
    public void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output) => loops.ForwardSteps(gates, h0, cells, output);

    /// <summary>
    /// The backward step loop of <see cref="LstmKernelLayerFunction"/>, activation derivatives included: writes dA_t into
    /// <paramref name="dGates"/> [T, B, 4H]; <paramref name="dH"/> [T, B, H] is the gradient from above (consumed),
    /// <paramref name="dC"/> [B, H] goes from dc_T to dc_0 (before the f_0 factor); <paramref name="gates"/> and
    /// <paramref name="cells"/> are the forward's activations and c0 … c_T. All contiguous.
    /// </summary>
    public static void RunBackward(Tensor dGates, Tensor dH, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh)
    {
        using var kernel = new LstmStepKernel(weightHh, (int)dGates.shape[1], backward: true);
        kernel.loops.BackwardSteps(dGates, dH, dC, gates, cells);
    }
}
