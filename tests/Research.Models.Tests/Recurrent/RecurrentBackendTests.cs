using Research.Models.Language;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// How <see cref="RecurrentBackend"/> resolves a request: what auto chooses per cell, variant and dtype (and says why),
/// and the one line every explicit request that cannot run gets.
/// </summary>
public sealed class RecurrentBackendTests
{
    private static RecurrentBackend Resolve(RecurrentCellKind cell, RecurrentBackendKind backend, LstmVariant? variant = null,
        ScalarType dtype = ScalarType.Float32, DeviceType device = DeviceType.CPU)
        => RecurrentBackend.Resolve(new RecurrentStackOptions(cell, backend, Variant: variant), dtype, device);

    private static readonly LstmVariant Peephole = LstmVariant.Standard with { Peephole = true };

    [Fact]
    public void AutoTakesTheKernelForAStandardFloat32LstmOnAnAvx2Cpu()
    {
        var chosen = Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Auto);
        Assert.Equal(LstmStepKernel.IsSupported ? RecurrentBackendKind.Kernel : RecurrentBackendKind.Fast, chosen.Kind);
        Assert.StartsWith("auto: ", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoTakesFastWhereTheKernelDoesNotApplyAndSaysWhy()
    {
        var chosen = Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Auto, dtype: ScalarType.Float64);
        Assert.Equal(RecurrentBackendKind.Fast, chosen.Kind);
        Assert.EndsWith(LstmStepKernel.IsSupported ? "not kernel: the step kernel computes in float32, not Float64" : "not kernel: this CPU lacks AVX2/FMA for the step kernel",
            chosen.Reason, StringComparison.Ordinal);
        // Bidirectional and a forget bias leave the step as it is.
        Assert.NotEqual(RecurrentBackendKind.Readable, Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Auto, LstmVariant.Standard with { Bidirectional = true, ForgetBias = 1 }).Kind);
    }

    [Fact]
    public void AutoTakesReadableForAStepChangingVariantAndSaysWhy()
    {
        var chosen = Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Auto, Peephole);
        Assert.Equal(RecurrentBackendKind.Readable, chosen.Kind);
        Assert.Equal("readable (auto: LstmCell under autograd; not fast: the variant peephole changes the LSTM step, which only readable runs)", chosen.ToString());
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, "readable (auto: GruCell under autograd)")]
    [InlineData(RecurrentCellKind.RnnTanh, "readable (auto: RnnCell under autograd)")]
    [InlineData(RecurrentCellKind.RnnRelu, "readable (auto: RnnCell under autograd)")]
    public void AutoTakesReadableForGruAndRnn(RecurrentCellKind cell, string expected)
    {
        Assert.Equal(expected, Resolve(cell, RecurrentBackendKind.Auto).ToString());
        Assert.Equal(expected, Resolve(cell, RecurrentBackendKind.Auto, dtype: ScalarType.Float64).ToString());
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, RecurrentBackendKind.Fast, ScalarType.Float32, "backend fast: fast is an LSTM backend; the Gru cell runs readable or torch")]
    [InlineData(RecurrentCellKind.RnnTanh, RecurrentBackendKind.Kernel, ScalarType.Float32, "backend kernel: kernel is an LSTM backend; the RnnTanh cell runs readable or torch")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentBackendKind.Kernel, ScalarType.Float64, "backend kernel: the step kernel computes in float32, not Float64")]
    public void AnExplicitRequestThatCannotRunFailsWithOneLine(RecurrentCellKind cell, RecurrentBackendKind backend, ScalarType dtype, string message)
    {
        if (backend == RecurrentBackendKind.Kernel && cell == RecurrentCellKind.Lstm && !LstmStepKernel.IsSupported)
            message = "backend kernel: this CPU lacks AVX2/FMA for the step kernel";
        var e = Assert.Throws<ArgumentException>(() => Resolve(cell, backend, dtype: dtype));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(RecurrentBackendKind.Fast)]
    [InlineData(RecurrentBackendKind.Kernel)]
    [InlineData(RecurrentBackendKind.Torch)]
    public void AnExplicitBackendThatCannotRunAStepChangingVariantFails(RecurrentBackendKind backend)
    {
        var e = Assert.Throws<ArgumentException>(() => RecurrentStack.Lstm(3, 4, backend: backend, variant: Peephole));
        Assert.Contains("Backend: the variant peephole changes the LSTM step, which only readable runs", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TheKernelOnAnotherDeviceFailsWithOneLine()
    {
        if (!LstmStepKernel.IsSupported)
            return;
        var e = Assert.Throws<ArgumentException>(() => Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Kernel, device: DeviceType.CUDA));
        Assert.Equal("backend kernel: the step kernel runs on the CPU, not CUDA", e.Message);
    }

    [Fact]
    public void ExplicitRequestsThatCanRunAreKeptAsAsked()
    {
        Assert.Equal(RecurrentBackendKind.Readable, Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Readable).Kind);
        Assert.Equal(RecurrentBackendKind.Fast, Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Fast).Kind);
        Assert.Equal(RecurrentBackendKind.Torch, Resolve(RecurrentCellKind.Gru, RecurrentBackendKind.Torch).Kind);
        Assert.Equal("fast (hand-derived BPTT, step loops in libtorch ops)", Resolve(RecurrentCellKind.Lstm, RecurrentBackendKind.Fast).ToString());
    }

    [Fact]
    public void AModelNamesTheBackendItsStackResolved()
    {
        var model = new LanguageModel(new LanguageModelOptions(10, 4, 4, 1) { Recurrence = new(Backend: RecurrentBackendKind.Readable) });
        Assert.Equal("readable (LstmCell under autograd)", RecurrentBackend.Of(model));
        Assert.Equal(model.Recurrence.Backend.ToString(), RecurrentBackend.Of(model));
        Assert.Equal("none: the model has no recurrent stack", RecurrentBackend.Of(nn.Linear(3, 4)));
    }

    [Fact]
    public void ATraceNeedsTheReadableBackend()
    {
        var fast = RecurrentStack.Lstm(3, 4, backend: RecurrentBackendKind.Fast);
        var e = Assert.Throws<InvalidOperationException>(() => fast.Trace = new LstmTrace());
        Assert.Contains("backend readable", e.Message, StringComparison.Ordinal);
        RecurrentStack.Lstm(3, 4, backend: RecurrentBackendKind.Readable).Trace = new LstmTrace();
    }
}
