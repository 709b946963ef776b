using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>What <see cref="RecurrentBackend"/> reports for each way a recurrent stack can run.</summary>
public sealed class RecurrentBackendTests
{
    private static string Describe(nn.Module m, ScalarType dtype = ScalarType.Float32) => RecurrentBackend.Describe(m, dtype, DeviceType.CPU);

    [Fact]
    public void TheReadableLstmSaysSo()
    {
        Assert.Equal("explicit LSTM, readable: LstmCell under autograd", Describe(new Lstm(3, 4)));
    }

    [Fact]
    public void AFastRequestThatAVariantCannotRunSaysWhyItFellBack()
    {
        var peephole = new Lstm(3, 4, variant: new() { Peephole = true }, implementation: LstmImplementation.Fast);
        Assert.Contains("fast was asked, but the variant changes the step equations", Describe(peephole), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFastPathNamesWhereItsStepLoopsRun()
    {
        var fast = new Lstm(3, 4, implementation: LstmImplementation.Fast);
        Assert.Equal(LstmStepKernel.IsSupported
            ? $"explicit LSTM, fast + step kernel: hand-derived BPTT, C# {LstmStepKernel.VectorWidth}-bit ({LstmStepKernel.InstructionSet}) recurrence on libtorch's OpenMP threads"
            : "explicit LSTM, fast: hand-derived BPTT, step loops in libtorch ops (this CPU lacks AVX2/FMA for the kernel)", Describe(fast));
        if (LstmStepKernel.IsSupported)
            Assert.EndsWith("(the kernel is for float32 on the CPU, not Float64 on CPU)", Describe(fast, ScalarType.Float64), StringComparison.Ordinal);
        fast.StepKernel = false;
        Assert.EndsWith("(step_kernel: false)", Describe(fast), StringComparison.Ordinal);
    }

    [Fact]
    public void TorchsOwnModulesAndTheExplicitSingleStateCellsAreNamed()
    {
        Assert.Equal("torch: nn.LSTM (libtorch's fused LSTM)", Describe(nn.LSTM(3, 4)));
        Assert.Equal("torch: nn.GRU (libtorch's fused GRU)", Describe(nn.GRU(3, 4)));
        Assert.Equal("explicit GRU: GruCell under autograd", Describe(new Gru(3, 4)));
        Assert.Equal("none: the model has no recurrent stack", Describe(nn.Linear(3, 4)));
    }
}
