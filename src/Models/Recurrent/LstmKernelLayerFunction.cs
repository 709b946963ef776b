using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The kernel backend's <see cref="LstmLayerFunction{TSelf}"/>: both step loops (and the activation derivatives) in
/// <see cref="LstmStepKernel"/>, one fused pass per step; float32 on a CPU with AVX2 and FMA only. The kernel backend's
/// <see cref="RecurrentStack"/> runs a one-step call (a sampler's) with <see cref="LstmOpsLayerFunction"/> instead: packing
/// W_hh would cost more than the step.
/// </summary>
public sealed class LstmKernelLayerFunction : LstmLayerFunction<LstmKernelLayerFunction>
{
    // The kernel adds the bias as it loads each step's gates, so the input GEMM runs without it.
    protected override bool StepsAddBias => true;

    // The kernel copies each step's gates from their distinct rows as it starts the step, where they are then in cache.
    protected override bool StepsGatherRows => true;

    protected override void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias, IndexedSequence? gateRows)
    {
        // Resolved at construction for float32 on the CPU: a stack moved since then says so instead of computing elsewhere.
        if (!LstmStepKernel.AppliesTo(gates))
            throw new InvalidOperationException($"the kernel backend runs float32 on a CPU with AVX2/FMA, got {gates.dtype} on {gates.device_type}: build the stack with backend fast or auto for this dtype and device");
        LstmStepKernel.RunForward(gates, h0, cells, output, weightHh, bias, gateRows);
    }

    protected override Tensor BackwardSteps(Tensor dY, Tensor dHN, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh)
    {
        var dGates = empty_like(gates);
        // The kernel only reads dy: no copy where it comes dense, as the layer above's dX and a decoder's gradient do.
        using var dYDense = dY.contiguous();
        LstmStepKernel.RunBackward(dGates, dYDense, dC, gates, cells, weightHh, dHN);
        return dGates;
    }
}
