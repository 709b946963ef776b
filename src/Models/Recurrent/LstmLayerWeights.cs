using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The parameters one LSTM layer (one direction) passes to <see cref="LstmCell.Step(Tensor, Tensor, Tensor, LstmLayerWeights, LstmVariant)"/>:
/// nn.LSTM's four, plus those of the variant in use (null when it has none).
/// </summary>
/// <param name="WeightIh">[4H, in], gates stacked i, f, g, o.</param>
/// <param name="WeightHh">[4H, H], or [4H, P] with a projection.</param>
/// <param name="PeepholeI">Peephole weight_ci [H] (input gate sees c_{t-1}).</param>
/// <param name="PeepholeF">Peephole weight_cf [H] (forget gate sees c_{t-1}).</param>
/// <param name="PeepholeO">Peephole weight_co [H] (output gate sees c_t).</param>
/// <param name="LayerNormIhGain">LN-LSTM gain on W_ih x, [4H].</param>
/// <param name="LayerNormHhGain">LN-LSTM gain on W_hh h, [4H].</param>
/// <param name="LayerNormCellGain">LN-LSTM gain on c before the output tanh, [H].</param>
/// <param name="LayerNormCellBias">LN-LSTM shift on c before the output tanh, [H].</param>
/// <param name="WeightHr">Projection [P, H] (LSTMP).</param>
public sealed record LstmLayerWeights(
    Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh,
    Tensor? PeepholeI = null, Tensor? PeepholeF = null, Tensor? PeepholeO = null,
    Tensor? LayerNormIhGain = null, Tensor? LayerNormHhGain = null,
    Tensor? LayerNormCellGain = null, Tensor? LayerNormCellBias = null,
    Tensor? WeightHr = null);
