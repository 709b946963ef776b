using System.Diagnostics;
using Research.Data.Batching;
using Research.Experiments.Reporting;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using Research.Models.Optimization;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// One language-model training throughput measurement: medians over the rounds of this core's tokens/s and ms/step,
/// and <see cref="RatioToTorch"/>, the median over rounds of this core's tokens/s over nn.LSTM's in the same round. On a
/// quiet machine the ratio equals the ratio of the two tokens/s columns; where it does not, the run was disturbed
/// (<see cref="DisturbanceVerdict.RatioDisagreement"/>). <see cref="RatioQuartiles"/>: the middle half of the rounds' ratios.
/// </summary>
public sealed record LanguageModelThroughput(string Model, string Core, int Steps, double TokensPerSecond, double MillisecondsPerStep, double RatioToTorch,
    (double Low, double High) RatioQuartiles);

/// <summary>`bench lm`'s results, whether the run was disturbed, and the peak its cores could reach.</summary>
public sealed record LanguageModelBenchmarkResult(
    IReadOnlyList<LanguageModelThroughput> Results, IReadOnlyList<StepPart> Parts, IReadOnlyList<LossTiming> Losses, DisturbanceVerdict Verdict, PeakFlops Peak)
{
    /// <summary>The parts of a training step, GFLOP/s beside the peak.</summary>
    public MarkdownTable PartsTable => LanguageModelAnatomy.Table(Parts, Peak);

    /// <summary>The fused softmax cross-entropy against libtorch's, per model.</summary>
    public MarkdownTable LossTable => LossBenchmark.Table(Losses);
}

/// <summary>
/// `research bench lm`: training tokens per second of the PTB language models of Zaremba et al. (small: 2×200, batch 20,
/// BPTT 20; medium: 2×650, batch 20, BPTT 35), the whole training step (embedding, LSTM, decoder, softmax loss,
/// backward, clipping, SGD) with each recurrent core, all in one process on the same batches. The cores take turns in
/// rounds of a few steps each, so a burst of load from other processes hits every core, not just the one it landed on.
/// </summary>
public static class LanguageModelBenchmark
{
    /// <summary>
    /// Anatomy steps per core, after one untimed: each part's figure is their median. Two cycles of the float32 cores'
    /// <see cref="TurnOrder"/>, so each core runs in every position twice.
    /// </summary>
    public static int AnatomyRepeats => 2 * AllCores.Count(c => !c.DecoderBfloat16);
    private const int LossPairs = 41;
    private const int Batch = 20;  // Zaremba et al.'s batch, both models

    public static readonly (string Name, int Size, int Bptt, double Dropout)[] Models = [("small", 200, 20, 0.0), ("medium", 650, 35, 0.5)];

    /// <summary>
    /// "lstm (auto)" is the training default (the kernel where it applies); the others name model.backend; "+ bf16
    /// decoder" is the default with model.decoder_bfloat16, measured where the CPU has bfloat16 products; "libtorch
    /// cross-entropy" is the default with train.fused_cross_entropy false; "input product per position" is the default
    /// with model.project_distinct_tokens false. Every other row computes its loss as training does by default (the
    /// fused cross-entropy) and its first input product as the model does by default. nn.LSTM comes last: every ratio
    /// is to it.
    /// </summary>
    public static readonly (string Name, RecurrentBackendKind Backend, bool DecoderBfloat16, bool FusedCrossEntropy, bool DistinctTokens)[] AllCores =
    [
        ("lstm (auto)", RecurrentBackendKind.Auto, false, true, true),
        ("lstm (auto) + bf16 decoder", RecurrentBackendKind.Auto, true, true, true),
        ("lstm (auto), libtorch cross-entropy", RecurrentBackendKind.Auto, false, false, true),
        ("lstm (auto), input product per position", RecurrentBackendKind.Auto, false, true, false),
        ("lstm (fast)", RecurrentBackendKind.Fast, false, true, true),
        ("lstm (readable)", RecurrentBackendKind.Readable, false, true, true),
        ("torch nn.LSTM", RecurrentBackendKind.Torch, false, true, true),
    ];

    public static LanguageModelBenchmarkResult Run(LanguageCorpus corpus, IReadOnlyList<string> models, int steps, int warmup,
        double warmupSeconds, int rounds, Device device, TextWriter log)
    {
        // Sampled when each model's timed rounds start, after its warm-up: taken before the first warm-up instead, the first
        // sample was 17–138 % above the median of the others in 8 of 12 runs (2026-12-06), and nothing timed ran then.
        using var monitor = new DisturbanceMonitor();
        var results = new List<LanguageModelThroughput>();
        var parts = new List<StepPart>();
        var losses = new List<LossTiming>();
        var disagreements = new List<string>();
        var bf16 = device.type == DeviceType.CUDA || CpuFeatures.Current().HasBFloat16Products;
        var cores = AllCores.Where(c => bf16 || !c.DecoderBfloat16).ToArray();
        foreach (var (name, size, bptt, dropout) in Models.Where(m => models.Contains(m.Name)))
        {
            // The anatomy's batches: PTB's first training windows, as training takes them, the same for every core step for
            // step (one per anatomy step: the untimed one, then the repeats).
            using var anatomyText = LanguageModelBatches.Batchify(corpus.Train.Ids, Batch).to(device);
            var anatomyWindows = LanguageModelBatches.FixedWindows(anatomyText, bptt).Take(AnatomyRepeats + 1).ToList();
            var runners = cores.Select(c =>
            {
                var settings = new ExperimentSettings
                {
                    Task = TaskKind.LanguageModel,
                    Model = new LanguageModelSettings { EmbeddingSize = size, HiddenSize = size, Layers = 2, Dropout = dropout, Backend = c.Backend, DecoderBfloat16 = c.DecoderBfloat16, ProjectDistinctTokens = c.DistinctTokens },
                    Train = new TrainSettings { BatchSize = Batch, Bptt = bptt, Optimizer = OptimizerKind.Sgd, Lr = 1, ClipNorm = 5, FusedCrossEntropy = c.FusedCrossEntropy },
                };
                manual_seed(1);
                return new TrainingRunner(new LanguageModelTask(settings.For<TextDataSettings, LanguageModelSettings>(), corpus, device, ScalarType.Float32), settings.Train, anatomyWindows, device);
            }).ToList();
            try
            {
                foreach (var runner in runners)
                    WarmUp.Run(runner.Warm, warmup, TimeSpan.FromSeconds(warmupSeconds));
                monitor.Open();
                // Per round and core: tokens/s and ms/step; the reference product after each round (a round it says the
                // machine slowed down in is timed again).
                var perRound = new (double TokensPerSecond, double MsPerStep)[rounds][];
                for (var round = 0; round < rounds; round++)
                {
                    var roundSteps = (steps * (round + 1) / rounds) - (steps * round / rounds);
                    perRound[round] = monitor.Round(() => TurnOrder.Run(runners.Count, round, c => runners[c].AfterLeadIn(() => runners[c].Run(roundSteps))).Select(m => (m.Tokens / m.Seconds, 1000 * m.Seconds / roundSteps)).ToArray());
                }
                var torchTokensPerSecond = Median.Of(perRound.Select(r => r[^1].TokensPerSecond));
                for (var c = 0; c < runners.Count; c++)
                {
                    var ratios = perRound.Select(r => r[c].TokensPerSecond / r[^1].TokensPerSecond).ToArray();
                    var ratio = Median.Of(ratios);
                    var result = new LanguageModelThroughput(name, cores[c].Name, steps,
                        Median.Of(perRound.Select(r => r[c].TokensPerSecond)), Median.Of(perRound.Select(r => r[c].MsPerStep)), ratio, Quartiles.Of(ratios));
                    log.WriteLine($"{name,-6} {result.Core,-35} {result.TokensPerSecond,10:N0} tokens/s  ({result.MillisecondsPerStep:F1} ms/step, {ratio:F2} of nn.LSTM, rounds {Quartiles.Text(result.RatioQuartiles)})");
                    results.Add(result);
                    if (DisturbanceVerdict.RatioDisagreement($"{name} {result.Core}", ratio, result.TokensPerSecond, torchTokensPerSecond) is { } disagreement)
                        disagreements.Add(disagreement);
                }
                // Where each core's step time goes, after the timed rounds (the anatomy's steps train the models on), the
                // cores taking turns in every repeat as in the rounds; the first repeat is an untimed warm-up. The anatomy
                // calls the decoder module itself, in float32, so the bf16 row would only repeat the auto row.
                var anatomyCores = Enumerable.Range(0, runners.Count).Where(c => !cores[c].DecoderBfloat16).ToList();
                // Each repeat, and the loss pairs after them, is a round like the timed ones: taken again after a slow sample.
                var laps = anatomyCores.Select(_ => new List<double[]>()).ToList();
                foreach (var c in anatomyCores)
                    runners[c].AnatomyStep();
                for (var r = 0; r < AnatomyRepeats; r++)
                {
                    var repeat = monitor.Round(() => TurnOrder.Run(anatomyCores.Count, r, i => runners[anatomyCores[i]].AfterLeadIn(() => runners[anatomyCores[i]].AnatomyStep())));
                    for (var i = 0; i < anatomyCores.Count; i++)
                        laps[i].Add(repeat[i]);
                }
                for (var i = 0; i < anatomyCores.Count; i++)
                    parts.AddRange(runners[anatomyCores[i]].AnatomyParts(name, cores[anatomyCores[i]].Name, bptt, laps[i]));
                if (monitor.Round(() => LossBenchmark.Measure(name, Batch * bptt, corpus.Vocabulary.Count, LossPairs, device)) is { } loss)
                    losses.Add(loss);
            }
            finally
            {
                foreach (var runner in runners)
                    runner.Dispose();
                foreach (var window in anatomyWindows)
                {
                    window.Input.Dispose();
                    window.Target.Dispose();
                }
            }
        }
        var verdict = monitor.Verdict().With(disagreements);
        var peak = PeakFlops.Measured(monitor.Cores, CpuFeatures.Current());
        log.WriteLine(verdict.Summary);
        log.WriteLine($"peak: {peak.Formula}");
        var run = new LanguageModelBenchmarkResult(results, parts, losses, verdict, peak);
        log.WriteLine();
        log.Write(run.PartsTable);
        log.WriteLine();
        log.Write(run.LossTable);
        return run;
    }

    /// <summary>One core's model, optimiser and batch stream, stepped a few steps at a time; timed steps add up.</summary>
    private sealed class TrainingRunner : IDisposable
    {
        private readonly LanguageModelTask task;
        private readonly TrainSettings train;
        private readonly Device device;
        private readonly List<TorchSharp.Modules.Parameter> parameters;
        private readonly Optimizer optimizer;
        private IEnumerator<TrainingBatch> batches;
        private int epoch = 1;
        private readonly IReadOnlyList<BpttWindow> anatomyWindows;
        private int anatomySteps;

        public TrainingRunner(LanguageModelTask task, TrainSettings train, IReadOnlyList<BpttWindow> anatomyWindows, Device device)
        {
            (this.task, this.train, this.anatomyWindows, this.device) = (task, train, anatomyWindows, device);
            parameters = [.. task.Model.parameters()];
            optimizer = OptimizerFactory.Create(parameters, train);
            batches = task.TrainingBatches(epoch).GetEnumerator();
        }

        public double Seconds { get; private set; }

        public long Tokens { get; private set; }

        /// <summary>One training step of this runner's model cut into its parts' milliseconds (see <see cref="LanguageModelAnatomy"/>).</summary>
        public double[] AnatomyStep()
        {
            var window = anatomyWindows[anatomySteps++ % anatomyWindows.Count];
            return LanguageModelAnatomy.Step(task.Model, parameters, optimizer, train.ClipNorm, train.FusedCrossEntropy, window.Input, window.Target, device);
        }

        /// <summary>The parts' medians over this runner's <see cref="AnatomyStep"/>s.</summary>
        public IReadOnlyList<StepPart> AnatomyParts(string model, string core, int bptt, IReadOnlyList<double[]> steps) =>
            LanguageModelAnatomy.Parts(model, core, task.Model, bptt, train.BatchSize, steps);

        /// <summary>One untimed step: JIT, allocator pools and libtorch's first-call work out of the way.</summary>
        public void Warm() => Steps(1);

        /// <summary>
        /// <paramref name="timed"/> right after one untimed step of this core's own, so that what the core before it
        /// left behind (its data in the caches, libtorch's threads asleep or spinning) is not in the time.
        /// </summary>
        public T AfterLeadIn<T>(Func<T> timed)
        {
            Warm();
            return timed();
        }

        /// <summary>Runs <paramref name="steps"/> timed training steps, added to <see cref="Seconds"/> and <see cref="Tokens"/>.</summary>
        public (double Seconds, long Tokens) Run(int steps)
        {
            var (seconds, tokens) = Steps(steps);
            Seconds += seconds;
            Tokens += tokens;
            return (seconds, tokens);
        }

        private (double Seconds, long Tokens) Steps(int steps)
        {
            task.Model.train();
            var clock = Stopwatch.StartNew();
            var tokens = 0L;
            for (var k = 0; k < steps; k++)
            {
                using var scope = NewDisposeScope();
                if (!batches.MoveNext())
                {
                    // A long warm-up on a fast device may outlast an epoch: the stream goes on into the next.
                    batches.Dispose();
                    batches = task.TrainingBatches(++epoch).GetEnumerator();
                    if (!batches.MoveNext())
                        throw new InvalidOperationException("the corpus has no training batches");
                }
                optimizer.ZeroGrad();
                Backpropagation.Run(batches.Current.Loss); // as the trainer does
                optimizer.Step(GradientClipping.NormCoefficient(parameters, train.ClipNorm).Coefficient); // as the trainer does
                if (device.type == DeviceType.CUDA)
                    cuda.synchronize(device);
                tokens += batches.Current.Items;
            }
            return (clock.Elapsed.TotalSeconds, tokens);
        }

        public void Dispose()
        {
            batches.Dispose();
            optimizer.Dispose();
            task.Model.Dispose();
        }
    }
}
