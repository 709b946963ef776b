using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// Says which computation a model's recurrent stack will run, so a run can print it at start and record it: the
/// explicit LSTM may fall back from its fast path (a variant that changes the step, a trace), and its C# step kernel
/// applies only to float32 on a CPU with AVX2 and FMA (or AVX-512). Read from the module tree, as constructed.
/// </summary>
public static class RecurrentBackend
{
    /// <summary>One line: the first recurrent stack of <paramref name="model"/> and how it runs on that dtype and device.</summary>
    public static string Describe(nn.Module model, ScalarType dtype, DeviceType device)
    {
        foreach (var (_, module) in model.named_modules().Prepend(("", model)))
        {
            switch (module)
            {
                case Lstm lstm:
                    return DescribeLstm(lstm, dtype, device);
                case Gru:
                    return "explicit GRU: GruCell under autograd";
                case Rnn:
                    return "explicit RNN: RnnCell under autograd";
                case TorchSharp.Modules.LSTM:
                    return "torch: nn.LSTM (libtorch's fused LSTM)";
                case TorchSharp.Modules.GRU:
                    return "torch: nn.GRU (libtorch's fused GRU)";
                case TorchSharp.Modules.RNN:
                    return "torch: nn.RNN (libtorch's fused RNN)";
            }
        }
        return "none: the model has no recurrent stack";
    }

    private static string DescribeLstm(Lstm lstm, ScalarType dtype, DeviceType device)
    {
        if (lstm.EffectiveImplementation == LstmImplementation.Readable)
        {
            if (lstm.Implementation == LstmImplementation.Readable)
                return "explicit LSTM, readable: LstmCell under autograd";
            var why = lstm.Trace is not null ? "a gate trace is recorded" : "the variant changes the step equations";
            return $"explicit LSTM, readable: LstmCell under autograd (fast was asked, but {why}; expect 2-3x nn.LSTM's time)";
        }
        if (!lstm.StepKernel)
            return "explicit LSTM, fast: hand-derived BPTT, step loops in libtorch ops (step_kernel: false)";
        if (!LstmStepKernel.IsSupported)
            return "explicit LSTM, fast: hand-derived BPTT, step loops in libtorch ops (this CPU lacks AVX2/FMA for the kernel)";
        if (device != DeviceType.CPU || dtype != ScalarType.Float32)
            return $"explicit LSTM, fast: hand-derived BPTT, step loops in libtorch ops (the kernel is for float32 on the CPU, not {dtype} on {device})";
        return $"explicit LSTM, fast + step kernel: hand-derived BPTT, C# {LstmStepKernel.VectorWidth}-bit ({LstmStepKernel.InstructionSet}) recurrence on libtorch's OpenMP threads";
    }
}
