using System.Runtime.Intrinsics;
using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// Plain SGD's update with the gradient-clipping coefficient c folded in, θ ← θ − γ·(c·g), in one C# SIMD pass over θ
/// and g: bit for bit what <c>grad.mul_(c)</c> and then <c>θ.add_(grad, −γ)</c> compute (a float32 product, then one
/// fused multiply-add, as libtorch's add kernel does), without writing the scaled gradient back and reading it again.
/// The gradient itself is left unscaled. Float32 contiguous CPU tensors on a CPU the step kernel runs on, at its width.
/// </summary>
internal static unsafe class ScaledSgdUpdate
{
    private const long ElementsPerThreadAtLeast = 1 << 16;

    public static bool AppliesTo(Tensor parameter, Tensor grad) =>
        LstmStepKernel.AppliesTo(parameter) && LstmStepKernel.AppliesTo(grad) && parameter.is_contiguous() && grad.is_contiguous()
        && parameter.numel() == grad.numel();

    /// <summary>θ ← θ + step·(coefficient·g), element by element, in place.</summary>
    public static void Apply(Tensor parameter, Tensor grad, float coefficient, float step)
    {
        var n = parameter.numel();
        var partitions = (int)Math.Max(1, Math.Min(get_num_threads(), n / ElementsPerThreadAtLeast));
        if (LstmStepKernel.VectorWidth == 512)
            Lanes<Vector512<float>>.Apply(parameter, grad, n, coefficient, step, partitions);
        else
            Lanes<Vector256<float>>.Apply(parameter, grad, n, coefficient, step, partitions);
    }

    private sealed class Lanes<TVec> : KernelVector<TVec>
        where TVec : struct
    {
        private Lanes()
        {
        }

        public static void Apply(Tensor parameter, Tensor grad, long n, float coefficient, float step, int partitions)
        {
            var (p, g) = ((nint)Data(parameter), (nint)Data(grad));
            OpenMpTeam.Run(partitions, part =>
            {
                // Whole vectors in every share but the last, which takes the tail under a mask.
                var vectors = (n + Lanes - 1) / Lanes;
                var (first, end) = (vectors * part / partitions * Lanes, Math.Min(n, vectors * (part + 1) / partitions * Lanes));
                Update((float*)p + first, (float*)g + first, end - first, coefficient, step);
            });
        }

        private static void Update(float* p, float* g, long n, float coefficient, float step)
        {
            var (c, s) = (Broadcast(coefficient), Broadcast(step));
            long i = 0;
            for (; i + Lanes <= n; i += Lanes)
                Store(p + i, MultiplyAdd(Multiply(Load(g + i), c), s, Load(p + i)));
            if (i == n)
                return;
            var mask = TailMask((int)(n - i));
            Store(p + i, MultiplyAdd(Multiply(Load(g + i, false, mask), c), s, Load(p + i, false, mask)), false, mask);
        }
    }
}
