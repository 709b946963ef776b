using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One LSTM layer over a whole sequence as a custom autograd function: the maths of <see cref="LstmCell.Step"/>
/// (same parameter layout, gates stacked i, f, g, o) with backpropagation through time derived by hand, so autograd
/// records one node per layer instead of ~15 per time step.
/// <code>
/// forward   A = X·W_ihᵀ + b_ih + b_hh             all steps in one GEMM, [T·B, 4H]
///           per step t:  A_t += h_{t-1}·W_hhᵀ;  i,f,o = σ(·), g = tanh(·)   (in place in A)
///                        c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  for all steps at once:  D = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙tanh'(g), tanh(c_t)⊙σ'(o)],  R = o⊙tanh'(c_t)
///           per step t (reverse): dh_t = dy_t + dA_{t+1}·W_hh;  dc_t = dc_{t+1}⊙f_{t+1} + dh_t⊙R_t
///                                 dA_t = D_t ⊙ [dc_t, dc_t, dc_t, dh_t]          (in place in D)
///           then one GEMM each: dX = dA·W_ih,  dW_ih = dAᵀ·X,  dW_hh = dAᵀ·[h_0 … h_{T-2}],  db = Σ dA
/// </code>
/// For float32 on the CPU the two step loops (and D, R) run in <see cref="LstmStepKernel"/>, one fused pass per step.
/// Inputs: x [T, B, in], h0 [B, H], c0 [B, H], weight_ih [4H, in], weight_hh [4H, H], bias_ih, bias_hh [4H] or null.
/// Outputs: y [T, B, H] (h at every step), h_n [B, H], c_n [B, H]. Gradients flow to every tensor input, so a state
/// carried from an earlier window (not detached) passes its gradient back into that window. First-order only: the
/// backward is not itself differentiable (no create_graph).
/// </summary>
public sealed class LstmLayerFunction : autograd.MultiTensorFunction<LstmLayerFunction>
{
    /// <summary>
    /// libtorch ops per time step in forward: addmm_, sigmoid_ (i, f), tanh_ (g), sigmoid_ (o), 2 × addcmul_ (c),
    /// copy_ + tanh_ + mul_ (h). Everything else runs once per layer call, whatever T is.
    /// </summary>
    public const int ForwardOpsPerStep = 9;

    /// <summary>
    /// libtorch ops per time step in backward: addmm_ (dh), mul_ + addcmul_ (dc), mul_ (dA of i, f, g), mul_ (dA of o);
    /// the last step skips the addmm_ and the first mul_.
    /// </summary>
    public const int BackwardOpsPerStep = 5;

    public override string Name => nameof(LstmLayerFunction);

    /// <summary>
    /// Runs the layer and records it for autograd; see the class comment for shapes. With <paramref name="stepKernel"/>
    /// the step loops run <see cref="LstmStepKernel"/> where it applies (float32 on a CPU with AVX2 and FMA), else the
    /// libtorch ops shown above.
    /// </summary>
    public static (Tensor output, Tensor h, Tensor c) Apply(
        Tensor x, Tensor h0, Tensor c0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool stepKernel = true)
    {
        var results = apply(x, h0, c0, weightIh, weightHh, biasIh, biasHh, stepKernel);
        return (results[0], results[1], results[2]);
    }

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, h0, c0, wIh, wHh) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
        var (bIh, bHh) = (vars[5] as Tensor, vars[6] as Tensor);
        var kernel = vars.Length > 7 && vars[7] is true && LstmStepKernel.AppliesTo(x);
        var (steps, batch, inputSize, hidden) = (x.shape[0], x.shape[1], x.shape[2], wHh.shape[1]);
        if (steps < 1)
            throw new ArgumentException("LstmLayerFunction needs at least one time step.", nameof(vars));

        using var scope = NewDisposeScope();
        // All input projections in one GEMM, both biases folded in; the recurrent part is added per step in place.
        var bias = (bIh, bHh) switch
        {
            (null, null) => null,
            (not null, null) => bIh,
            (null, not null) => bHh,
            _ => bIh!.Plus(bHh!),
        };
        var x2d = x.reshape(steps * batch, inputSize);
        var gates = (bias is null ? x2d.mm(wIh.t()) : bias.addmm(x2d, wIh.t(), beta: 1, alpha: 1)).view(steps, batch, 4 * hidden);
        var cells = zeros([steps + 1, batch, hidden], dtype: x.dtype, device: x.device); // c_{-1}=c0 at 0, zeros so addcmul_ accumulates
        var output = empty([steps, batch, hidden], dtype: x.dtype, device: x.device);
        cells[0].copy_(c0);

        if (kernel)
            LstmStepKernel.RunForward(gates, h0, cells, output, wHh);
        else
            ForwardSteps(gates, h0, cells, output, wHh, hidden);

        var hN = output[steps - 1].clone();
        var cN = cells[steps].clone();
        // gates now hold the activations i, f, g, o; cells hold c0 … c_T; together with y they are all backward needs.
        ctx.save_for_backward([x, h0, wIh, wHh, gates, cells, output]);
        ctx.save_data("needs", new[] { x.requires_grad, h0.requires_grad, c0.requires_grad });
        ctx.save_data("bias", (bIh is not null, bHh is not null));
        ctx.save_data("kernel", kernel);
        scope.MoveToOuter(gates, cells, output, hN, cN);
        return [output, hN, cN];
    }

    // The forward step loop in libtorch ops (counted in ForwardOpsPerStep).
    private static void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor wHh, long hidden)
    {
        // Explicit Scalars held to the end: an implicit one can be finalised while libtorch still reads it (seen as toFloat failures).
        using var one = 1.0.ToScalar();
        var steps = gates.shape[0];
        // Per-step views made once (one unbind each), so the loop below issues only the ops it counts.
        var gateAt = gates.unbind(0);
        var ifAt = gates.narrow(2, 0, 2 * hidden).unbind(0);
        var iAt = gates.narrow(2, 0, hidden).unbind(0);
        var fAt = gates.narrow(2, hidden, hidden).unbind(0);
        var gAt = gates.narrow(2, 2 * hidden, hidden).unbind(0);
        var oAt = gates.narrow(2, 3 * hidden, hidden).unbind(0);
        var cellAt = cells.unbind(0);
        var hAt = output.unbind(0);
        var wHhT = wHh.t();

        var hPrev = h0;
        for (var t = 0; t < steps; t++)
        {
            gateAt[t].addmm_(hPrev, wHhT, beta: 1, alpha: 1);
            ifAt[t].sigmoid_();
            gAt[t].tanh_();
            oAt[t].sigmoid_();
            cellAt[t + 1].addcmul_(fAt[t], cellAt[t], one).addcmul_(iAt[t], gAt[t], one);
            hAt[t].copy_(cellAt[t + 1]).tanh_().mul_(oAt[t]);
            hPrev = hAt[t];
        }
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (x, h0, wIh, wHh, gates, cells, output) = (saved[0], saved[1], saved[2], saved[3], saved[4], saved[5], saved[6]);
        var needs = (bool[])ctx.get_data("needs");
        var (hasBiasIh, hasBiasHh) = ((bool, bool))ctx.get_data("bias");
        var kernel = (bool)ctx.get_data("kernel");
        var (gradY, gradHN, gradCN) = (grad_outputs[0], grad_outputs[1], grad_outputs[2]);
        var (steps, batch, inputSize, hidden) = (x.shape[0], x.shape[1], x.shape[2], wHh.shape[1]);

        // Contiguous copies whatever the incoming strides (expanded, batch-first), so every per-step slice is dense.
        var dH = empty([steps, batch, hidden], dtype: gradY.dtype, device: gradY.device).copy_(gradY);
        dH[steps - 1].PlusInPlace(gradHN);
        var dC = empty([batch, hidden], dtype: gradY.dtype, device: gradY.device).copy_(gradCN);
        var f = gates.narrow(2, hidden, hidden);
        Tensor dGates;
        if (kernel)
        {
            // The kernel computes the activation derivatives inside its step, from the saved activations and cells.
            dGates = empty_like(gates);
            LstmStepKernel.RunBackward(dGates, dH, dC, gates, cells, wHh);
        }
        else
        {
            dGates = ActivationDerivatives(gates, cells, hidden, out var cFromH);
            BackwardSteps(dGates, dH, dC, f, cFromH, wHh, hidden);
        }

        // Weight gradients as one GEMM over all steps each.
        var dA = dGates.view(steps * batch, 4 * hidden);
        var dGate0 = dGates[0];
        var dX = needs[0] ? dA.mm(wIh).view(steps, batch, inputSize) : null;
        var dH0 = needs[1] ? dGate0.mm(wHh) : null;
        var dC0 = needs[2] ? dC.mul(f[0]) : null;
        var dWIh = dA.t().mm(x.reshape(steps * batch, inputSize));
        var hPrev = steps == 1 ? h0.unsqueeze(0) : cat([h0.unsqueeze(0), output.narrow(0, 0, steps - 1)], 0);
        var dWHh = dA.t().mm(hPrev.reshape(steps * batch, hidden));
        var dB = hasBiasIh || hasBiasHh ? dA.sum(new long[] { 0 }) : null;
        // Two bias gradients must not share storage: autograd may adopt a gradient tensor as the parameter's .grad.
        var dBIh = hasBiasIh ? dB : null;
        var dBHh = hasBiasHh ? (hasBiasIh ? dB!.clone() : dB) : null;

        List<Tensor?> grads = [dX, dH0, dC0, dWIh, dWHh, dBIh, dBHh, null]; // null: the stepKernel flag
        foreach (var grad in grads)
            grad?.MoveToOuterDisposeScope();
        return grads!;
    }

    // D for all steps at once, in the i, f, g, o slots, and R = ∂c_t/∂h_t through h = o⊙tanh(c) (see the class comment).
    private static Tensor ActivationDerivatives(Tensor gates, Tensor cells, long hidden, out Tensor cFromH)
    {
        using var one = 1.0.ToScalar();
        var steps = gates.shape[0];
        var i = gates.narrow(2, 0, hidden);
        var g = gates.narrow(2, 2 * hidden, hidden);
        var o = gates.narrow(2, 3 * hidden, hidden);
        var cPrev = cells.narrow(0, 0, steps);
        var tanhC = cells.narrow(0, 1, steps).tanh();
        var dGates = gates.mul(gates.neg().add_(one, one)); // σ' = s(1 − s) in the i, f, o slots; the g slot is replaced below
        dGates.narrow(2, 0, hidden).mul_(g);
        dGates.narrow(2, hidden, hidden).mul_(cPrev);
        dGates.narrow(2, 2 * hidden, hidden).copy_(g.mul(g).neg_().add_(one, one).mul_(i));
        dGates.narrow(2, 3 * hidden, hidden).mul_(tanhC);
        cFromH = tanhC.mul(tanhC).neg_().add_(one, one).mul_(o);
        return dGates;
    }

    // The backward step loop in libtorch ops (counted in BackwardOpsPerStep).
    private static void BackwardSteps(Tensor dGates, Tensor dH, Tensor dC, Tensor f, Tensor cFromH, Tensor wHh, long hidden)
    {
        using var one = 1.0.ToScalar();
        var (steps, batch) = (dGates.shape[0], dGates.shape[1]);
        var dC3 = dC.unsqueeze(1);
        var dGateAt = dGates.unbind(0);
        var dIfgAt = dGates.narrow(2, 0, 3 * hidden).view(steps, batch, 3, hidden).unbind(0);
        var dOAt = dGates.narrow(2, 3 * hidden, hidden).unbind(0);
        var dHAt = dH.unbind(0);
        var fAt = f.unbind(0);
        var cFromHAt = cFromH.unbind(0);
        for (var t = steps - 1; t >= 0; t--)
        {
            if (t < steps - 1)
            {
                dHAt[t].addmm_(dGateAt[t + 1], wHh, beta: 1, alpha: 1);
                dC.mul_(fAt[t + 1]);
            }
            dC.addcmul_(dHAt[t], cFromHAt[t], one);
            dIfgAt[t].mul_(dC3);
            dOAt[t].mul_(dHAt[t]);
        }
    }
}
