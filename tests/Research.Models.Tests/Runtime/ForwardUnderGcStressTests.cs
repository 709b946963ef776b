using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using Research.Models.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Runtime;

/// <summary>
/// Every module's forward called as a notebook cell calls it, outside any dispose scope and with autograd on, while
/// <see cref="GcStress"/> collects garbage and runs finalisers back to back: each call gives the first call's result.
/// Without the scope each forward opens, an intermediate is unreachable once its handle is read, so the finaliser can
/// free it mid-call (a GRU step so run segfaults within 20,000 steps: GcStressTests in Research.Experiments.Tests).
/// </summary>
public sealed class ForwardUnderGcStressTests
{
    private const int Calls = 400;
    private const int Collections = 50;

    public static TheoryData<string> Modules() => new(Cases.Keys);

    private static readonly Dictionary<string, Func<Func<Tensor>>> Cases = new()
    {
        ["LstmCell"] = () =>
        {
            var cell = new LstmCell(8, 16);
            var (x, h, c) = (randn(4, 8), randn(4, 16), randn(4, 16));
            return () =>
            {
                var (hNext, cNext) = cell.call(x, (h, c));
                return Joined(hNext, cNext);
            };
        },
        ["GruCell"] = () =>
        {
            var cell = new GruCell(8, 16);
            var (x, h) = (randn(4, 8), randn(4, 16));
            return () => cell.call(x, h);
        },
        ["RnnCell"] = () =>
        {
            var cell = new RnnCell(8, 16);
            var (x, h) = (randn(4, 8), randn(4, 16));
            return () => cell.call(x, h);
        },
        ["LSTM stack, readable"] = () => Stack(RecurrentStack.Lstm(8, 16, 2, backend: RecurrentBackendKind.Readable)),
        ["LSTM stack, fast"] = () => Stack(RecurrentStack.Lstm(8, 16, 2, backend: RecurrentBackendKind.Fast)),
        ["LSTM stack, kernel"] = () => Stack(RecurrentStack.Lstm(8, 16, 2, backend: RecurrentBackendKind.Kernel)),
        ["LSTM stack, torch"] = () => Stack(RecurrentStack.Lstm(8, 16, 2, backend: RecurrentBackendKind.Torch)),
        ["GRU stack, batch-first"] = () => Stack(RecurrentStack.Gru(8, 16, 2, batchFirst: true), batchFirst: true),
        ["peephole LSTM stack, bidirectional"] = () =>
            Stack(RecurrentStack.Lstm(8, 16, 2, variant: new LstmVariant { Peephole = true, Bidirectional = true })),
        ["language model"] = () =>
        {
            var model = new LanguageModel(new LanguageModelOptions(30, 8, 16, 2));
            var tokens = randint(0, 30, [6, 3], dtype: ScalarType.Int64);
            return () =>
            {
                var (logits, state) = model.call(tokens);
                return Joined(logits, state.H, state.C!);
            };
        },
        ["forecaster and its roll-out"] = () =>
        {
            var model = new Forecaster(new ForecasterOptions(InputFeatures: 2, TargetFeatures: 2, Horizon: 1, HiddenSize: 8, Layers: 2));
            var window = randn(3, 12, 2);
            return () => Joined(model.call(window), model.RollOut(window, 4));
        },
        ["sequence model"] = () =>
        {
            var model = new SequenceModel(new SequenceModelOptions(3, 8, 2, SequenceReadout.EveryStep, Layers: 2));
            var x = randn(10, 4, 3);
            return () => model.call(x);
        },
    };

    [Theory]
    [MemberData(nameof(Modules))]
    public void EachCallOutsideAnyScopeGivesTheSameResultUnderStress(string module)
    {
        manual_seed(3);
        var forward = Cases[module]();
        using var expected = forward();
        using var stress = GcStress.StartIf(true)!;
        // At least Calls calls and, however fast they are, at least Collections collections beside them.
        var call = 0;
        for (; call < Calls || (stress.Cycles < Collections && call < 100 * Calls); call++)
        {
            using var actual = forward();
            Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-7), $"{module}: call {call} differs from the first");
        }
        Assert.True(stress.Cycles >= Collections, $"{module}: only {stress.Cycles} collections in {call} calls");
    }

    private static Func<Tensor> Stack(RecurrentStack stack, bool batchFirst = false)
    {
        var x = batchFirst ? randn(4, 10, 8) : randn(10, 4, 8);
        return () =>
        {
            var (output, state) = stack.call(x);
            return state.C is null ? Joined(output, state.H) : Joined(output, state.H, state.C);
        };
    }

    // The returned tensors flattened into one, in a scope of the test's own (opened after the call), and disposed.
    private static Tensor Joined(params Tensor[] returned)
    {
        using var scope = NewDisposeScope();
        var joined = cat(returned.Select(t => t.flatten()).ToList());
        foreach (var t in returned)
            t.Dispose();
        return scope.MoveToOuter(joined);
    }
}
