using System.Diagnostics;
using System.Globalization;
using Research.Experiments.Reporting;
using Research.Models.Language;
using Research.Models.Optimization;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>One part of a language-model training step: median ms, and the GEMM GFLOP it does (NaN where it does none).</summary>
public sealed record StepPart(string Model, string Core, string Part, double Milliseconds, double Gflop)
{
    public double Gflops => Gflop / Milliseconds * 1e3;
}

/// <summary>
/// Where a `bench lm` training step's time goes: the step cut at its seams (the tensors passed between parts, detached
/// and made leaves) and each part timed forward + backward on its own, one after the other as a step runs them:
/// embedding, LSTM layers, decoder product, softmax + cross-entropy, gradient clipping, optimizer step. The clock is
/// read at synchronisation points between parts (free on the CPU, where every op is synchronous; a device wait on
/// CUDA), so each lap is that part's own time. Dropout is left out (it is no GEMM and
/// the cut would need its masks). The tokens are PTB's: where the model embeds each distinct token once
/// (<see cref="LanguageModel.EmbedsDistinctTokens"/>), the LSTM's first input product depends on how many there are. The benchmark runs
/// one <see cref="Step"/> per core in turn, repeat after repeat, so a change in the host's speed lands on every core
/// alike, and <see cref="Parts"/> takes each part's median.
/// </summary>
public static class LanguageModelAnatomy
{
    private static readonly string[] Names = ["embedding", "LSTM layers", "decoder product", "softmax + cross-entropy", "gradient clipping", "optimizer step"];

    /// <summary>One training step of <paramref name="model"/> on <paramref name="tokens"/> [T, B]: each part's milliseconds, in <see cref="Names"/>' order.</summary>
    public static double[] Step(LanguageModel model, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Optimizer optimizer, double clipNorm,
        bool fusedCrossEntropy, Tensor tokens, Tensor targets, Device device)
    {
        var modules = model.named_children().ToDictionary(c => c.name, c => c.module);
        var encoder = (nn.Module<Tensor, Tensor>)modules["encoder"];
        var decoder = (nn.Module<Tensor, Tensor>)modules["decoder"];
        var core = modules["rnn"];
        var vocabulary = model.Options.VocabularySize;
        model.train();
        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        // Forward, with a leaf at each seam so each part's backward below runs on its own.
        var clock = Stopwatch.StartNew();
        double Lap() => LapOf(clock, device);
        // The model's own cut: each distinct token's embedding once, or every position's.
        var distinct = model.EmbedsDistinctTokens ? IndexedSequence.OfTokens(tokens, encoder.call) : null;
        var embedded = distinct?.Rows ?? encoder.call(tokens);
        var embeddingForward = Lap();
        var coreIn = embedded.detach().requires_grad_();
        var coreOut = CoreForward(core, coreIn, distinct?.Index);
        var coreForward = Lap();
        var decoderIn = coreOut.detach().requires_grad_();
        var logits = decoder.call(decoderIn);
        var decoderForward = Lap();
        var logitsLeaf = logits.detach().requires_grad_();
        var loss = SoftmaxCrossEntropy.Loss(logitsLeaf.view(-1, vocabulary), targets.reshape(-1), fused: fusedCrossEntropy);
        var lossForward = Lap();
        // Backward, last part first, as autograd runs it.
        // Through Backpropagation.Run, as the trainer's backward: the layers hand their weight gradients over.
        Backpropagation.Run(loss);
        var lossBackward = Lap();
        Backpropagation.Run(logits, logitsLeaf.grad!);
        var decoderBackward = Lap();
        Backpropagation.Run(coreOut, decoderIn.grad!);
        var coreBackward = Lap();
        Backpropagation.Run(embedded, coreIn.grad!);
        var embeddingBackward = Lap();
        // As the trainer does: the norm here, its coefficient applied by the step (folded into plain SGD's update).
        var coefficient = GradientClipping.NormCoefficient(parameters, clipNorm).Coefficient;
        var clipping = Lap();
        optimizer.Step(coefficient);
        var step = Lap();
        return [embeddingForward + embeddingBackward, coreForward + coreBackward, decoderForward + decoderBackward,
            lossForward + lossBackward, clipping, step];
    }

    /// <summary>Each part's median over the <see cref="Step"/>s of one core, with the GEMM GFLOP it does (NaN where it does none).</summary>
    public static IReadOnlyList<StepPart> Parts(string modelName, string coreName, LanguageModel model, int bptt, int batch, IReadOnlyList<double[]> steps)
    {
        var (vocabulary, hidden, layers, embedding) = (model.Options.VocabularySize, model.Options.HiddenSize, model.Options.Layers, model.Options.EmbeddingSize);
        var rows = (double)bptt * batch;
        // GEMM FLOPs, forward + backward = 3 × forward: LSTM 2·T·B·4H·(in+H) per layer, decoder 2·T·B·H·V.
        var lstmGflop = 3 * 2 * rows * 4 * hidden * (embedding + hidden + ((layers - 1) * 2.0 * hidden)) / 1e9;
        var decoderGflop = 3 * 2 * rows * hidden * vocabulary / 1e9;
        double[] gflop = [double.NaN, lstmGflop, decoderGflop, double.NaN, double.NaN, double.NaN];
        return Names.Select((n, p) => new StepPart(modelName, coreName, n, Median.Of(steps.Select(s => s[p])), gflop[p])).ToList();
    }

    /// <summary>The parts as a table, GFLOP/s beside the peak where a part does GEMMs.</summary>
    public static MarkdownTable Table(IEnumerable<StepPart> parts, PeakFlops peak)
    {
        var table = new MarkdownTable("model", "core", "part", "ms", "GFLOP", "GFLOP/s", "% of peak");
        foreach (var p in parts)
        {
            var hasFlops = !double.IsNaN(p.Gflop);
            table.Add(p.Model, p.Core, p.Part, p.Milliseconds.ToString("F2", CultureInfo.InvariantCulture),
                hasFlops ? p.Gflop.ToString("F2", CultureInfo.InvariantCulture) : "—",
                hasFlops ? p.Gflops.ToString("F0", CultureInfo.InvariantCulture) : "—",
                hasFlops ? peak.PercentOf(p.Gflops) : "—");
        }
        return table;
    }

    // The milliseconds since the last lap, after the device has finished; restarts the clock.
    private static double LapOf(Stopwatch clock, Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }

    private static Tensor CoreForward(nn.Module core, Tensor x, Tensor? rowIndex) => core switch
    {
        RecurrentStack stack when rowIndex is not null => stack.forward(new IndexedSequence(x, rowIndex)).output,
        RecurrentStack stack => stack.call(x).output, // every backend, nn.LSTM's included
        _ => throw new NotSupportedException($"bench lm times LSTM cores only, not {core.GetType().Name}"),
    };
}
