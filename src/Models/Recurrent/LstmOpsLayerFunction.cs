using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The fast backend's <see cref="LstmLayerFunction{TSelf}"/>: both step loops in libtorch ops, any dtype and device.
/// </summary>
public sealed class LstmOpsLayerFunction : LstmLayerFunction<LstmOpsLayerFunction>
{
    protected override void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias, IndexedSequence? gateRows)
        => Forward(gates, h0, cells, output, weightHh, weightHh.shape[1]); // the bias came with the input GEMM (StepsAddBias is false)

    protected override Tensor BackwardSteps(Tensor dY, Tensor dHN, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh)
    {
        var hidden = weightHh.shape[1];
        // The loop accumulates dh in place: a dense copy of dy (whatever its strides), dh_n added at the last step.
        var dH = empty(dY.shape, dtype: dY.dtype, device: dY.device).copy_(dY);
        dH[dH.shape[0] - 1].PlusInPlace(dHN);
        var dGates = ActivationDerivatives(gates, cells, hidden, out var cFromH);
        Backward(dGates, dH, dC, gates.narrow(2, hidden, hidden), cFromH, weightHh, hidden);
        return dGates;
    }

    // The forward step loop in libtorch ops: addmm_, sigmoid_ (i, f), tanh_ (g), sigmoid_ (o), 2 × addcmul_ (c), copy_ + tanh_ + mul_ (h).
    private static void Forward(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor wHh, long hidden)
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
        cells.narrow(0, 1, steps).zero_(); // c_1 … c_T accumulate by addcmul_ below

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

    // The backward step loop in libtorch ops: addmm_ (dh), mul_ + addcmul_ (dc), mul_ (dA of i, f, g), mul_ (dA of o).
    private static void Backward(Tensor dGates, Tensor dH, Tensor dC, Tensor f, Tensor cFromH, Tensor wHh, long hidden)
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
