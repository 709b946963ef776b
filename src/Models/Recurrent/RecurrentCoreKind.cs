namespace Research.Models.Recurrent;

/// <summary>Which implementation runs the recurrence of a <see cref="RecurrentCore"/>, whatever its cell.</summary>
public enum RecurrentCoreKind
{
    /// <summary>
    /// The explicit implementation (the default): <see cref="Lstm"/>, <see cref="Gru"/> or <see cref="Rnn"/>. Named
    /// after the cell it first had; it means "ours" for every cell.
    /// </summary>
    Lstm,

    /// <summary>TorchSharp's nn.LSTM / nn.GRU / nn.RNN (libtorch's fused kernels), for re-running any experiment against the reference.</summary>
    Torch,
}
