namespace Research.Models.Recurrent;

/// <summary>
/// Which computation runs a <see cref="RecurrentStack"/> (config key model.backend). Every backend has the same
/// parameters (nn.LSTM/nn.GRU/nn.RNN's names and shapes) and the same results within its dtype's rounding.
/// </summary>
public enum RecurrentBackendKind
{
    /// <summary>Chosen at construction (see <see cref="RecurrentBackend.Resolve"/>): kernel, else fast, else readable for an LSTM; readable for GRU and RNN.</summary>
    Auto,

    /// <summary>The cell's step (<see cref="LstmCell"/>, <see cref="GruCell"/>, <see cref="RnnCell"/>) unrolled under autograd: the reference, any variant.</summary>
    Readable,

    /// <summary>LSTM only: <see cref="LstmOpsLayerFunction"/>, hand-derived BPTT with its step loops in libtorch ops; the standard step only.</summary>
    Fast,

    /// <summary>LSTM only: <see cref="LstmKernelLayerFunction"/>, the same with the step loops in the C# AVX2/FMA <see cref="LstmStepKernel"/>; float32 on the CPU.</summary>
    Kernel,

    /// <summary>TorchSharp's nn.LSTM / nn.GRU / nn.RNN (libtorch's fused kernels); no step-changing variant, no weight drop.</summary>
    Torch,
}
