using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One LSTM layer over a whole sequence, or several stacked with nothing between them, as one custom autograd function:
/// the maths of <see cref="LstmCell.Step(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor?)"/> (same parameter
/// layout, gates stacked i, f, g, o) with backpropagation through time derived by hand, so autograd records one node for
/// the stack instead of ~15 per layer and time step. Per layer, layer k's input being layer k−1's output:
/// <code>
/// forward   A = X·W_ihᵀ + b_ih + b_hh             all steps in one GEMM, [T·B, 4H] (the kernel adds the biases per step)
///           per step t:  A_t += h_{t-1}·W_hhᵀ;  i,f,o = σ(·), g = tanh(·)   (in place in A)
///                        c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
/// backward  for all steps at once:  D = [g⊙σ'(i), c_{t-1}⊙σ'(f), i⊙tanh'(g), tanh(c_t)⊙σ'(o)],  R = o⊙tanh'(c_t)
///           per step t (reverse): dh_t = dy_t + dA_{t+1}·W_hh;  dc_t = dc_{t+1}⊙f_{t+1} + dh_t⊙R_t
///                                 dA_t = D_t ⊙ [dc_t, dc_t, dc_t, dh_t]          (in place in D)
///           then one GEMM each: dX = dA·W_ih,  dW_ih = dAᵀ·X,  dW_hh = dAᵀ·[h_0 … h_{T-2}],  db = Σ dA
///           (dX is the layer below's dy)
/// </code>
/// Why one node for the stack: TorchSharp's managed <c>apply</c>, its bridge to a managed backward and each node's
/// allocations are fixed costs per node; a 2-layer stack's training step at PTB small's shape took 0.98 × the time of a
/// node per layer, bit for bit the same results (docs/step-kernel.md, "One autograd node for the stack").
/// The step loops are the subclass's: <see cref="LstmOpsLayerFunction"/> in libtorch ops (the fast backend),
/// <see cref="LstmKernelLayerFunction"/> in <see cref="LstmStepKernel"/> (the kernel backend); the backend picks one at construction.
/// Inputs: x [T, B, in], h0 [L, B, H], c0 [L, B, H], x's row index or null, then per layer weight_ih [4H, in_k],
/// weight_hh [4H, H], bias_ih and bias_hh [4H] or null. With a row index [T, B] (int64), x is instead the distinct rows
/// [U, in] the sequence is made of, step t of batch row b being x[index[t, b]] (a language model's embedded tokens):
/// <code>
/// forward   A = (X·W_ihᵀ)[index]                  the first layer's input GEMM on U rows instead of T·B (the kernel
///                                                  backend picks each step's rows as it starts the step)
/// backward  dP = Σ over each row's positions of dA  (index_add_'s sums, RowIndexing), then dX = dP·W_ih,  dW_ih = dPᵀ·X
/// </code>
/// the same sums in another order. Outputs: y [T, B, H] (the top layer's h at every step), h_n [L, B, H], c_n [L, B, H].
/// Gradients flow to every tensor input but the index, so a state carried from an earlier window (not detached) passes
/// its gradient back into that window. First-order only: the backward is not itself differentiable (no create_graph).
/// </summary>
public abstract class LstmLayerFunction<TSelf> : autograd.MultiTensorFunction<TSelf>
    where TSelf : LstmLayerFunction<TSelf>, new()
{
    // The inputs: x, h0, c0, x's row index, then weight_ih, weight_hh, bias_ih, bias_hh of each layer (layer k's from LayerAt(k)).
    private const int StateInputs = 4;
    private const int InputsPerLayer = 4;

    // The saved tensors: x, cells, states, y, x's row index (or an empty tensor), then weight_ih and weight_hh of each
    // layer, then each layer's gates.
    private const int SavedHead = 5;

    public override string Name => typeof(TSelf).Name;

    /// <summary>Runs the layers, bottom first, and records them for autograd; see the class comment for shapes.</summary>
    /// <param name="rowIndex">Null, or [T, B] int64: x is then the distinct rows [U, in] that it picks step by step.</param>
    public static (Tensor output, Tensor h, Tensor c) Apply(Tensor x, Tensor h0, Tensor c0, IReadOnlyList<RecurrentLayerWeights> layers, Tensor? rowIndex)
    {
        if (layers.Count < 1)
            throw new ArgumentException("LstmLayerFunction needs at least one layer.", nameof(layers));
        var vars = new object?[StateInputs + (InputsPerLayer * layers.Count)];
        (vars[0], vars[1], vars[2], vars[3]) = (x, h0, c0, rowIndex);
        for (var k = 0; k < layers.Count; k++)
        {
            var at = LayerAt(k);
            (vars[at], vars[at + 1], vars[at + 2], vars[at + 3]) = (layers[k].WeightIh, layers[k].WeightHh, layers[k].BiasIh, layers[k].BiasHh);
        }
        var results = apply(vars);
        return (results[0], results[1], results[2]);
    }

    /// <summary>
    /// The forward step loop: per step, add h_{t-1}·W_hhᵀ (and <paramref name="bias"/>, where given) into the gates,
    /// activate them in place, write c_t and h_t.
    /// </summary>
    /// <param name="bias">b_ih + b_hh still to add to every step's gates: only where <see cref="StepsAddBias"/>, else null (the input GEMM added it).</param>
    /// <param name="gateRows">Null, or (only where <see cref="StepsGatherRows"/>) the gates' input products as distinct rows [U, 4H] and their index [T, B]: the steps copy each step's gates from them first.</param>
    protected abstract void ForwardSteps(Tensor gates, Tensor h0, Tensor cells, Tensor output, Tensor weightHh, Tensor? bias, IndexedSequence? gateRows);

    /// <summary>
    /// Whether <see cref="ForwardSteps"/> takes a first layer's input products as distinct rows and picks each step's
    /// own as it starts the step, instead of a pass that writes them all out first.
    /// </summary>
    protected virtual bool StepsGatherRows => false;

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
        var (x, h0, c0, rowIndex) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], vars[3] as Tensor);
        var layers = Layers(vars);
        var sequence = rowIndex ?? x;
        var (steps, batch, count, hidden) = (sequence.shape[0], sequence.shape[1], layers.Length, h0.shape[2]);
        if (steps < 1)
            throw new ArgumentException("LstmLayerFunction needs at least one time step.", nameof(vars));

        // Saved tensors must outlive this scope (TorchSharp saves the handles): the index's placeholder is made before it.
        var savedIndex = rowIndex ?? empty(0, dtype: int64, device: x.device);
        using var scope = NewDisposeScope();
        // c0 … c_T and h0 … h_T of every layer, [L, T+1, B, H]: the backward's [h0 … h_{T-1}] for dW_hh and a layer's
        // input (the output of the one below) are then views, not copies.
        var cells = empty([count, steps + 1, batch, hidden], dtype: x.dtype, device: x.device);
        var states = empty([count, steps + 1, batch, hidden], dtype: x.dtype, device: x.device);
        cells.select(1, 0).copy_(c0);
        states.select(1, 0).copy_(h0);
        var gates = new Tensor[count];
        var input = x;
        for (var k = 0; k < count; k++)
        {
            var (cellsK, statesK) = (cells[k], states[k]);
            var output = statesK.narrow(0, 1, steps);
            var index = k == 0 ? rowIndex : null; // the layers above read every position of the one below
            gates[k] = ForwardLayer(InputRows(input, index), index, statesK[0], cellsK, output, layers[k]);
            input = output;
        }
        // The output shares the top layer's storage but is not a view of it (set_), so it behaves as a tensor of its own
        // would: autograd forbids changing in place a view a custom function returned.
        var y = empty(0, dtype: x.dtype, device: x.device).set_(input);
        var hN = states.select(1, steps).clone();
        var cN = cells.select(1, steps).clone();
        // gates now hold the activations i, f, g, o; cells hold c0 … c_T; states h0 … h_T: all the backward needs. The
        // output is saved too, though unused: its version counter (not the storage's) is what flags an in-place change.
        ctx.save_for_backward([x, cells, states, y, savedIndex, .. layers.SelectMany(w => new[] { w.WeightIh, w.WeightHh }), .. gates]);
        // Which inputs want a gradient: a frozen weight's product (2·T·B·4H·in FLOP) is not run for nothing.
        ctx.save_data("needs", vars.Select(v => v is Tensor t && t.requires_grad).ToArray());
        scope.MoveToOuter([.. gates, cells, states, y, hN, cN]);
        return [y, hN, cN];
    }

    // One layer's forward: all input projections in one GEMM, both biases folded in (or left to the steps); the recurrent
    // part is added per step in place. Returns the gates, which then hold the activations. The input is 2-D: one row per
    // position, or with a row index the distinct rows it picks from.
    private Tensor ForwardLayer(Tensor inputRows, Tensor? rowIndex, Tensor h0, Tensor cells, Tensor output, RecurrentLayerWeights w)
    {
        var (steps, batch, hidden) = (output.shape[0], output.shape[1], w.WeightHh.shape[1]);
        var bias = (w.BiasIh, w.BiasHh) switch
        {
            (null, null) => null,
            (not null, null) => w.BiasIh,
            (null, not null) => w.BiasHh,
            _ => w.BiasIh!.Plus(w.BiasHh!),
        };
        var projected = bias is null || StepsAddBias ? inputRows.mm(w.WeightIh.t()) : bias.addmm(inputRows, w.WeightIh.t(), beta: 1, alpha: 1);
        var gather = rowIndex is not null && StepsGatherRows;
        var gates = gather ? empty([steps, batch, 4 * hidden], dtype: projected.dtype, device: projected.device)
            : (rowIndex is null ? projected : projected.index_select(0, rowIndex.reshape(-1))).view(steps, batch, 4 * hidden);
        ForwardSteps(gates, h0, cells, output, w.WeightHh, StepsAddBias ? bias : null, gather ? new IndexedSequence(projected, rowIndex!) : null);
        return gates;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (x, cells, states) = (saved[0], saved[1], saved[2]);
        var rowIndex = saved[4].numel() > 0 ? saved[4] : null;
        var needs = (bool[])ctx.get_data("needs");
        var (gradY, gradHN, gradCN) = (grad_outputs[0], grad_outputs[1], grad_outputs[2]);
        var (steps, count) = (cells.shape[1] - 1, (int)cells.shape[0]);
        var grads = new Tensor?[needs.Length];
        var dH0 = needs[1] ? empty_like(gradHN) : null;
        var dC0 = needs[2] ? empty_like(gradCN) : null;
        // The lowest layer whose backward must run: the first, where x, h0 or c0 wants a gradient, else the first with a
        // weight that does. Layer k passes dX down only to a layer that runs, or to x where it wants one.
        var lowest = needs[0] || needs[1] || needs[2] ? 0 : Enumerable.Range(0, count).First(k => LayerNeeds(needs, k).Contains(true));
        var dY = gradY;
        for (var k = count - 1; k >= lowest; k--)
        {
            var (weightIh, weightHh, gates) = (saved[SavedHead + (2 * k)], saved[SavedHead + (2 * k) + 1], saved[SavedHead + (2 * count) + k]);
            var (input, index) = k == 0 ? (x, rowIndex) : (states[k - 1].narrow(0, 1, steps), null);
            var dX = BackwardLayer(dY, gradHN[k], gradCN[k], InputRows(input, index), index, gates, cells[k], states[k], weightIh, weightHh,
                LayerNeeds(needs, k), needsDX: k > lowest || needs[0], dH0?[k], dC0?[k], grads.AsSpan(LayerAt(k), InputsPerLayer));
            dY = dX!;
        }
        (grads[0], grads[1], grads[2], grads[3]) = (needs[0] ? dY : null, dH0, dC0, null);
        foreach (var grad in grads)
            grad?.MoveToOuterDisposeScope();
        return [.. grads.Select(g => g!)]; // null: no gradient for that input
    }

    // One layer's backward: dA from the step loop, then one GEMM each for dX (returned, where needed), dW_ih and dW_hh;
    // the weights' gradients go to `grads` (weight_ih, weight_hh, bias_ih, bias_hh), h0's and c0's into their rows. With a
    // row index, dA is first summed per distinct input row, and dX is the rows' gradient.
    private Tensor? BackwardLayer(Tensor dY, Tensor dHN, Tensor dCN, Tensor inputRows, Tensor? rowIndex, Tensor gates, Tensor cells, Tensor states,
        Tensor weightIh, Tensor weightHh, ReadOnlySpan<bool> needs, bool needsDX, Tensor? dH0, Tensor? dC0, Span<Tensor?> grads)
    {
        var (steps, batch, hidden) = (gates.shape[0], gates.shape[1], weightHh.shape[1]);
        var dC = empty([batch, hidden], dtype: dY.dtype, device: dY.device).copy_(dCN);
        var dGates = BackwardSteps(dY, dHN, dC, gates, cells, weightHh);

        var dA = dGates.view(steps * batch, 4 * hidden);
        var dRows = rowIndex is null ? dA : RowIndexing.SumByIndex(dA, rowIndex.reshape(-1), inputRows.shape[0]);
        var dX = needsDX ? dRows.mm(weightIh) : null;
        dH0?.copy_(dGates[0].mm(weightHh));
        dC0?.copy_(dC).mul_(gates[0].narrow(1, hidden, hidden)); // dc_0 = dc_1⊙f_1 (dC ends before the f factor)
        // Inside Backpropagation.Run a weight's gradient goes straight to its empty .grad, where autograd would copy it.
        grads[0] = needs[0] ? Backpropagation.HandOver(weightIh, dRows.t().mm(inputRows)) : null;
        grads[1] = needs[1] ? Backpropagation.HandOver(weightHh, dA.t().mm(states.narrow(0, 0, steps).view(steps * batch, hidden))) : null; // [h0 … h_{T-1}]
        var dB = needs[2] || needs[3] ? dA.sum(new long[] { 0 }) : null;
        // Two bias gradients must not share storage: autograd may adopt a gradient tensor as the parameter's .grad.
        grads[2] = needs[2] ? dB : null;
        grads[3] = needs[3] ? (needs[2] ? dB!.clone() : dB) : null;
        return rowIndex is null ? dX?.view(steps, batch, inputRows.shape[1]) : dX;
    }

    // A layer's input as the 2-D rows its input GEMM reads: [T·B, in], or x's distinct rows [U, in] as given.
    private static Tensor InputRows(Tensor input, Tensor? rowIndex) =>
        rowIndex is null ? input.reshape(input.shape[0] * input.shape[1], input.shape[2]) : input;

    // Layer k's four inputs' flags: weight_ih, weight_hh, bias_ih, bias_hh.
    private static ReadOnlySpan<bool> LayerNeeds(bool[] needs, int k) => needs.AsSpan(LayerAt(k), InputsPerLayer);

    // Where layer k's four inputs start among the function's inputs.
    private static int LayerAt(int k) => StateInputs + (InputsPerLayer * k);

    private static RecurrentLayerWeights[] Layers(object[] vars)
    {
        var layers = new RecurrentLayerWeights[(vars.Length - StateInputs) / InputsPerLayer];
        for (var k = 0; k < layers.Length; k++)
        {
            var at = LayerAt(k);
            layers[k] = new((Tensor)vars[at], (Tensor)vars[at + 1], vars[at + 2] as Tensor, vars[at + 3] as Tensor);
        }
        return layers;
    }
}
