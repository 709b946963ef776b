using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One LSTM layer over a whole sequence as a custom autograd function: the maths of <see cref="LstmCell.Step(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor?)"/>
/// (same parameter layout, gates stacked i, f, g, o) with backpropagation through time derived by hand, so autograd
/// records one node per layer instead of ~15 per time step.
/// <code>
/// forward   A = X·W_ihᵀ + b_ih + b_hh             all steps in one GEMM, [T·B, 4H] (the kernel adds the biases per step)
///           per step t:  A_t += h_{t-1}·W_hhᵀ;  i,f,o = σ(·), g = tanh(·)   (in place in A)
///                        c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  for all steps at once:  D = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙tanh'(g), tanh(c_t)⊙σ'(o)],  R = o⊙tanh'(c_t)
///           per step t (reverse): dh_t = dy_t + dA_{t+1}·W_hh;  dc_t = dc_{t+1}⊙f_{t+1} + dh_t⊙R_t
///                                 dA_t = D_t ⊙ [dc_t, dc_t, dc_t, dh_t]          (in place in D)
///           then one GEMM each: dX = dA·W_ih,  dW_ih = dAᵀ·X,  dW_hh = dAᵀ·[h_0 … h_{T-2}],  db = Σ dA
/// </code>
/// The step loops are the subclass's: <see cref="LstmOpsLayerFunction"/> in libtorch ops (the fast backend),
/// <see cref="LstmKernelLayerFunction"/> in <see cref="LstmStepKernel"/> (the kernel backend); the backend picks one at construction.
/// Inputs: x [T, B, in], h0 [B, H], c0 [B, H], weight_ih [4H, in], weight_hh [4H, H], bias_ih, bias_hh [4H] or null.
/// Outputs: y [T, B, H] (h at every step), h_n [B, H], c_n [B, H]. Gradients flow to every tensor input, so a state
/// carried from an earlier window (not detached) passes its gradient back into that window. First-order only: the
/// backward is not itself differentiable (no create_graph).
/// </summary>
public abstract class LstmLayerFunction<TSelf> : autograd.MultiTensorFunction<TSelf>
    where TSelf : LstmLayerFunction<TSelf>, new()
{
    public override string Name => typeof(TSelf).Name;

    /// <summary>Runs the layer and records it for autograd; see the class comment for shapes.</summary>
    public static (Tensor output, Tensor h, Tensor c) Apply(
        Tensor x, Tensor h0, Tensor c0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        var results = apply(x, h0, c0, weightIh, weightHh, biasIh, biasHh);
        return (results[0], results[1], results[2]);
    }

    /// <summary>
    /// The forward step loop: per step, add h_{t-1}·W_hhᵀ (and <paramref name="bias"/>, where given) into the gates,
    /// activate them in place, write c_t and h_t.
    /// </summary>
    /// <param name="bias">b_ih + b_hh still to add to every step's gates: only where <see cref="StepsAddBias"/>, else null (the input GEMM added it).</param>
    protected abstract void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias);

    /// <summary>
    /// Whether <see cref="ForwardSteps"/> adds the bias itself, as it first loads each step's gates; the input GEMM then
    /// runs without one. libtorch's addmm copies the bias into every output row before the product: [700, 200]·[200, 800]
    /// took 1.09–1.13 ms with the bias, 0.99–1.03 ms without (in-process pairs).
    /// </summary>
    protected virtual bool StepsAddBias => false;

    /// <summary>
    /// The backward step loop: dA for every step from <paramref name="dY"/> (the output's gradient, any strides, not to
    /// be written), <paramref name="dHN"/> (h_n's, added at the last step), dc_n and the saved activations; dC ends as dc_0.
    /// </summary>
    protected abstract Tensor BackwardSteps(Tensor dY, Tensor dHN, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh);

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, h0, c0, wIh, wHh) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
        var (bIh, bHh) = (vars[5] as Tensor, vars[6] as Tensor);
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
        var gates = (bias is null || StepsAddBias ? x2d.mm(wIh.t()) : bias.addmm(x2d, wIh.t(), beta: 1, alpha: 1)).view(steps, batch, 4 * hidden);
        var cells = empty([steps + 1, batch, hidden], dtype: x.dtype, device: x.device); // c0 at 0, then c_1 … c_T
        // h0 at 0, then h_1 … h_T: the backward's [h0 … h_{T-1}] for dW_hh is then a view, not a copy. The output shares
        // the storage but is not a view of it (set_), so it behaves as a tensor of its own would: autograd forbids changing
        // in place a view a custom function returned.
        var states = empty([steps + 1, batch, hidden], dtype: x.dtype, device: x.device);
        cells[0].copy_(c0);
        var h0Row = states[0].copy_(h0);
        var output = empty(0, dtype: x.dtype, device: x.device).set_(states.narrow(0, 1, steps));

        ForwardSteps(gates, h0Row, cells, output, wHh, StepsAddBias ? bias : null);

        var hN = output[steps - 1].clone();
        var cN = cells[steps].clone();
        // gates now hold the activations i, f, g, o; cells hold c0 … c_T; states h0 … h_T: all the backward needs. The
        // output is saved too, though unused: its version counter (not the storage's) is what flags an in-place change.
        ctx.save_for_backward([x, wIh, wHh, gates, cells, states, output]);
        // Which inputs want a gradient: a frozen weight's product (2·T·B·4H·in FLOP) is not run for nothing.
        ctx.save_data("needs", new[] { x.requires_grad, h0.requires_grad, c0.requires_grad, wIh.requires_grad, wHh.requires_grad, bIh?.requires_grad ?? false, bHh?.requires_grad ?? false });
        scope.MoveToOuter(gates, cells, states, output, hN, cN);
        return [output, hN, cN];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (x, wIh, wHh, gates, cells, states) = (saved[0], saved[1], saved[2], saved[3], saved[4], saved[5]);
        var needs = (bool[])ctx.get_data("needs");
        var (needsBiasIh, needsBiasHh) = (needs[5], needs[6]);
        var (gradY, gradHN, gradCN) = (grad_outputs[0], grad_outputs[1], grad_outputs[2]);
        var (steps, batch, inputSize, hidden) = (x.shape[0], x.shape[1], x.shape[2], wHh.shape[1]);

        var dC = empty([batch, hidden], dtype: gradY.dtype, device: gradY.device).copy_(gradCN);
        var f = gates.narrow(2, hidden, hidden);
        var dGates = BackwardSteps(gradY, gradHN, dC, gates, cells, wHh);

        // Weight gradients as one GEMM over all steps each.
        var dA = dGates.view(steps * batch, 4 * hidden);
        var dGate0 = dGates[0];
        var dX = needs[0] ? dA.mm(wIh).view(steps, batch, inputSize) : null;
        var dH0 = needs[1] ? dGate0.mm(wHh) : null;
        var dC0 = needs[2] ? dC.mul(f[0]) : null;
        // Inside Backpropagation.Run a weight's gradient goes straight to its empty .grad, where autograd would copy it.
        var dWIh = needs[3] ? Backpropagation.HandOver(wIh, dA.t().mm(x.reshape(steps * batch, inputSize))) : null;
        var dWHh = needs[4] ? Backpropagation.HandOver(wHh, dA.t().mm(states.narrow(0, 0, steps).view(steps * batch, hidden))) : null; // [h0 … h_{T-1}]
        var dB = needsBiasIh || needsBiasHh ? dA.sum(new long[] { 0 }) : null;
        // Two bias gradients must not share storage: autograd may adopt a gradient tensor as the parameter's .grad.
        var dBIh = needsBiasIh ? dB : null;
        var dBHh = needsBiasHh ? (needsBiasIh ? dB!.clone() : dB) : null;

        List<Tensor?> grads = [dX, dH0, dC0, dWIh, dWHh, dBIh, dBHh];
        foreach (var grad in grads)
            grad?.MoveToOuterDisposeScope();
        return grads!;
    }
}
