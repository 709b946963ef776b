using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// Everything one LSTM step computed, each [B, H] (H: [B, P] with a projection): the gates i, f, o, the candidate g
/// and the new state (c, h). A gate a variant removes is a tensor of ones, as the equations read.
/// </summary>
public sealed record LstmStepValues(Tensor I, Tensor F, Tensor G, Tensor O, Tensor C, Tensor H);
