using Research.Models.Runtime;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The kernel backend's <see cref="LstmLayerFunction{TSelf}"/>: both step loops (and the activation derivatives) in
/// <see cref="LstmStepKernel"/>, one fused pass per step; float32 on a CPU with AVX2 and FMA only. A one-step call (a
/// sampler's or an autoregressive forecaster's) runs <see cref="LstmOpsLayerFunction"/>'s loops instead, as the kernel
/// would spend more on packing W_hh than on the step.
/// </summary>
public sealed class LstmKernelLayerFunction : LstmLayerFunction<LstmKernelLayerFunction>
{
    // The kernel adds the bias as it loads each step's gates, so the input GEMM runs without it.
    protected override bool StepsAddBias => true;

    protected override void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias)
    {
        // Resolved at construction for float32 on the CPU: a stack moved since then says so instead of computing elsewhere.
        if (!LstmStepKernel.AppliesTo(gates))
            throw new InvalidOperationException($"the kernel backend runs float32 on a CPU with AVX2/FMA, got {gates.dtype} on {gates.device_type}: build the stack with backend fast or auto for this dtype and device");
        if (gates.shape[0] == 1)
        {
            // One step cannot repay packing W_hh (a pass that reads and writes all of it): at hidden 650, batch 1, a
            // one-step call of two layers took 1.23 ms through the kernel and 0.62 ms in libtorch ops.
            if (bias is not null)
                gates.PlusInPlace(bias);
            LstmOpsLayerFunction.Forward(gates, h0, cells, output, weightHh);
            return;
        }
        LstmStepKernel.RunForward(gates, h0, cells, output, weightHh, bias);
    }

    protected override Tensor BackwardSteps(Tensor dH, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh)
    {
        // One step has no recurrent product to run backward, so nothing to pack W_hh for.
        if (gates.shape[0] == 1)
            return LstmOpsLayerFunction.Backward(dH, dC, gates, cells, weightHh);
        var dGates = empty_like(gates);
        LstmStepKernel.RunBackward(dGates, dH, dC, gates, cells, weightHh);
        return dGates;
    }
}
