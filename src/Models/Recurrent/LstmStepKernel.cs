using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The per-time-step work of <see cref="LstmKernelLayerFunction"/> on the CPU in float32, in C# SIMD, replacing the step
/// loop's libtorch ops with one fused pass per step (recurrent product, gate activations and cell update forward;
/// recurrent product, activation derivatives and dc backward; see <see cref="LstmStepLoops{TVec}"/>).
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
    /// The most batch rows a row group of the forward and of the backward product takes. With AVX-512's 32 vector
    /// registers (at either width) 5 and 5: 20 and 15 accumulators. Without, 3 and 4: 12 accumulators each, within
    /// AVX2's 16 registers. The rows of a share are cut into groups whose sizes differ by one at most, so a batch of 20
    /// is 4 groups of 5, and two threads' 10 rows each 2. <see cref="UseRowGroups"/> overrides it for tests.
    /// </summary>
    public static (int Forward, int Backward) RowGroups { get; private set; } = Avx512F.IsSupported ? (5, 5) : (3, 4);

    /// <summary>Makes the kernels created from now on group at most these many rows (1 to 5 each), process-wide.</summary>
    public static void UseRowGroups(int forward, int backward)
    {
        foreach (var (rows, name) in new[] { (forward, nameof(forward)), (backward, nameof(backward)) })
        {
            if (rows is < 1 or > 5)
                throw new ArgumentOutOfRangeException(name, rows, "a row group takes 1 to 5 batch rows");
        }
        RowGroups = (forward, backward);
    }

    /// <summary>A quarter of one core's L2 (<see cref="CoreCache.L2Bytes"/>); declared before <see cref="ChunkBytes"/>, whose initial value it is.</summary>
    public static int DefaultChunkBytes { get; } = (int)Math.Min(CoreCache.L2Bytes / 4, 1 << 30);

    /// <summary>
    /// The bytes of a packed W_hh panel one k-chunk of the product takes: every row group of a block reads the chunk
    /// before the next one starts, so it should stay in the core's L2 while they do. A quarter of L2 (512 KB of the Intel
    /// Xeon VM's 2 MB, 256 KB of the AMD EPYC VM's 1 MB), so a hidden-200 or -650 forward panel is one chunk. Against
    /// 24 KB chunks (which stayed in L1, at the cost of saving and reloading the accumulators at every chunk), in-process
    /// A/B on the Intel VM, batch 20, 35 steps: forward steps 0.95, 0.84 and 0.94 × the time at hidden 200, 650 and 1500,
    /// backward 0.92, 0.90 and 0.96 ×, the results bit for bit the same (docs/step-kernel.md). <see cref="UseChunkBytes"/>
    /// overrides it for tests and benchmarks.
    /// </summary>
    public static int ChunkBytes { get; private set; } = DefaultChunkBytes;

    /// <summary>Makes the kernels created from now on cut the product's k loop into chunks of at most this many panel bytes, process-wide.</summary>
    public static void UseChunkBytes(int bytes)
    {
        if (bytes < 1024)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a k-chunk takes 1 KB of a panel at least");
        ChunkBytes = bytes;
    }

    /// <summary>
    /// How the units split's threads share each step's blocks, for the kernels created from now on, process-wide:
    /// <see cref="BlockSharing.Stealing"/> by default. Against static shares, `bench builds` on the AMD EPYC VM (batch
    /// 20, 35 steps) read 0.91–0.98 × the forward steps' time and 0.98–0.99 × the backward's at hidden 1500, 0.97–1.01 ×
    /// at 650 (docs/step-kernel.md). The rows split has no blocks to share and ignores it.
    /// </summary>
    public static BlockSharing Sharing { get; set; } = BlockSharing.Stealing;

    /// <summary>null: decided per layer (<see cref="SplitsRows"/>); true / false: forced, for tests and benchmarks.</summary>
    public static bool? ForcedRowSplit { get; set; }

    /// <summary>The most batch rows one streamed pass takes (<see cref="StreamsPanels"/>): 20 accumulators of one vector.</summary>
    public static int StreamRows => 20;

    /// <summary>null: decided per layer (<see cref="StreamsPanels"/>); true / false: forced, for tests and benchmarks.</summary>
    public static bool? ForcedStreaming { get; set; }

    /// <summary>
    /// Whether a units-split layer streams each vector's panel once per step for up to <see cref="StreamRows"/> rows,
    /// reading the product's left operand (h_{t-1} forward, dA_{t+1} backward) from a transposed copy, instead of reading
    /// each k-chunk of a block's panel once per row group of 5. A row group's first pass over a chunk asks for 4 lines
    /// per 20 FMAs and waits for them where the panels come from memory; a stream asks for 1 line per 20 FMAs, far
    /// ahead. Needs AVX-512's 32 vector registers. Chosen where the packed W_hh (16·H² bytes) exceeds
    /// <see cref="StreamBytes"/>: on the AMD EPYC VM (batch 20, in-process A/B) the forward steps took 0.85–0.89 × at
    /// hidden 1500 (36 MB) and 0.90 × at 2000, but 1.12 × at 1200 (23 MB) and 1.19–1.26 × at 650 and 1000, whose panels
    /// stay in L3 (docs/step-kernel.md).
    /// </summary>
    public static bool StreamsPanels(int hidden, int batch) =>
        Avx512F.IsSupported && !SplitsRows(hidden, batch) && (ForcedStreaming ?? 16L * hidden * hidden > StreamBytes);

    /// <summary>The packed W_hh size above which a units-split layer streams its panels: 32 MB, a Zen 5 CCD's L3.</summary>
    public static long StreamBytes => 32L << 20;

    /// <summary>
    /// Whether a layer of this hidden size and batch gives each thread its own batch rows through the whole sequence
    /// (rows split) rather than a share of every step's hidden units (units split). Rows need no barrier between steps
    /// and read no other thread's h_{t-1}, but every thread reads all of W_hh each step: they win while the packed W_hh
    /// fits in three quarters of one core's L2 and each thread has 4 rows or more. In-process A/B on the project's Intel
    /// Xeon VM (2 cores, AVX-512, 2 MB L2), batch 20, steps' time rows / units: forward 0.82, 0.88, 0.91 and backward 0.77,
    /// 0.83, 0.92 at hidden 200, 256, 300; 1.28 and 1.22 at 400 (2.6 MB of W_hh), 1.07 and 1.12 at 650.
    /// </summary>
    public static bool SplitsRows(int hidden, int batch) =>
        ForcedRowSplit ?? (16L * hidden * hidden <= CoreCache.L2Bytes * 3 / 4 && batch >= 4 * get_num_threads());

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
        loops = VectorWidth switch
        {
            512 => new LstmStepLoops<Vector512<float>>(weightHh, batch, backward),
            256 => new LstmStepLoops<Vector256<float>>(weightHh, batch, backward),
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
    /// <param name="gateRows">Null, or the gates' input products as distinct rows and their index: see <see cref="ForwardSteps"/>.</param>
    public static void RunForward(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias = null, IndexedSequence? gateRows = null)
    {
        using var kernel = ForForward(weightHh, (int)gates.shape[1]);
        kernel.ForwardSteps(gates, h0, cells, output, bias, gateRows);
    }

    /// <summary>
    /// <see cref="RunForward"/> with this kernel's packed W_hh (made by <see cref="ForForward"/>); <paramref name="bias"/>
    /// [4H], where given, is added to every step's gates first (then the gates hold only the input projections).
    /// </summary>
    /// <param name="gateRows">
    /// Null: <paramref name="gates"/> holds the input projections. Else its rows [U, 4H] and index [T, B] (int64): each
    /// step's gates are first copied from their rows (the kernel writes every element of <paramref name="gates"/>).
    /// </param>
    public void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor? bias = null, IndexedSequence? gateRows = null)
    {
        if (gateRows is not null && (gateRows.Rows.dim() != 2 || gateRows.Rows.shape[1] != gates.shape[2] || gateRows.Index.dtype != ScalarType.Int64
            || gateRows.Index.numel() != gates.shape[0] * gates.shape[1]))
            throw new ArgumentException($"gate rows must be [U, {gates.shape[2]}] with an int64 index of [{gates.shape[0]}, {gates.shape[1]}], got [{string.Join(", ", gateRows.Rows.shape)}] and {gateRows.Index.dtype} [{string.Join(", ", gateRows.Index.shape)}]", nameof(gateRows));
        loops.ForwardSteps(gates, h0, cells, output, bias, gateRows);
    }

    /// <summary>
    /// The backward step loop of <see cref="LstmKernelLayerFunction"/>, activation derivatives included: writes dA_t into
    /// <paramref name="dGates"/> [T, B, 4H]; <paramref name="dY"/> [T, B, H] is the gradient from above (only read), and
    /// <paramref name="dHN"/> [B, H], where given, the final state's, added at the last step; <paramref name="dC"/>
    /// [B, H] goes from dc_T to dc_0 (before the f_0 factor); <paramref name="gates"/> and <paramref name="cells"/> are
    /// the forward's activations and c0 … c_T. All contiguous.
    /// </summary>
    public static void RunBackward(Tensor dGates, Tensor dY, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh, Tensor? dHN = null)
    {
        using var kernel = new LstmStepKernel(weightHh, (int)dGates.shape[1], backward: true);
        kernel.loops.BackwardSteps(dGates, dY, dHN, dC, gates, cells);
    }
}
