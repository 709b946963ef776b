using System.Diagnostics;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>One language-model training throughput measurement.</summary>
public sealed record LanguageModelThroughput(string Model, string Core, int Steps, double Seconds, long Tokens)
{
    public double TokensPerSecond => Tokens / Seconds;

    public double MillisecondsPerStep => 1000 * Seconds / Steps;
}

/// <summary>
/// `research bench lm`: training tokens per second of the PTB language models of Zaremba et al. (small: 2×200, batch 20,
/// BPTT 20; medium: 2×650, batch 20, BPTT 35), the whole training step (embedding, LSTM, decoder, softmax loss,
/// backward, clipping, SGD) with each recurrent core, all in one process on the same batches.
/// </summary>
public static class LanguageModelBenchmark
{
    public static readonly (string Name, int Size, int Bptt, double Dropout)[] Models = [("small", 200, 20, 0.0), ("medium", 650, 35, 0.5)];

    /// <summary>"fast + kernel" is the training default; "fast" sets model.step_kernel: false (the step loops in libtorch ops).</summary>
    public static readonly (string Name, RecurrentCoreKind Core, LstmImplementation Implementation, bool StepKernel)[] Cores =
    [
        ("lstm (fast + kernel)", RecurrentCoreKind.Lstm, LstmImplementation.Fast, true),
        ("lstm (fast)", RecurrentCoreKind.Lstm, LstmImplementation.Fast, false),
        ("lstm (readable)", RecurrentCoreKind.Lstm, LstmImplementation.Readable, false),
        ("torch nn.LSTM", RecurrentCoreKind.Torch, LstmImplementation.Fast, false),
    ];

    public static IReadOnlyList<LanguageModelThroughput> Run(LanguageCorpus corpus, IReadOnlyList<string> models, int steps, int warmup,
        Device device, TextWriter log)
    {
        var results = new List<LanguageModelThroughput>();
        foreach (var (name, size, bptt, dropout) in Models.Where(m => models.Contains(m.Name)))
        {
            foreach (var (coreName, core, implementation, stepKernel) in Cores)
            {
                var settings = new ExperimentSettings
                {
                    Task = TaskKind.LanguageModel,
                    Data = new DataSettings { Name = "ptb" },
                    Model = new ModelSettings { EmbeddingSize = size, HiddenSize = size, Layers = 2, Dropout = dropout, Core = core, Implementation = implementation, StepKernel = stepKernel },
                    Train = new TrainSettings { BatchSize = 20, Bptt = bptt, Optimizer = OptimizerKind.Sgd, Lr = 1, ClipNorm = 5 },
                };
                manual_seed(1);
                var task = new LanguageModelTask(settings, corpus, device, ScalarType.Float32);
                var result = Measure(task, settings.Train, steps, warmup, device) with { Model = name, Core = coreName };
                log.WriteLine($"{name,-6} {coreName,-20} {result.TokensPerSecond,10:N0} tokens/s  ({result.MillisecondsPerStep:F1} ms/step)");
                results.Add(result);
            }
        }
        return results;
    }

    private static LanguageModelThroughput Measure(LanguageModelTask task, TrainSettings train, int steps, int warmup, Device device)
    {
        var parameters = task.Model.parameters().ToList();
        var optimizer = OptimizerFactory.Create(parameters, train);
        var clock = new Stopwatch();
        var (done, tokens) = (0, 0L);
        task.Model.train();
        using (var epoch = NewDisposeScope())
        using (var batches = task.TrainingBatches(1).GetEnumerator())
        {
            while (done < warmup + steps)
            {
                using var scope = NewDisposeScope();
                if (done == warmup)
                    clock.Start();
                if (!batches.MoveNext())
                    throw new InvalidOperationException("the corpus ran out of batches; ask for fewer steps");
                optimizer.zero_grad();
                batches.Current.Loss.backward();
                nn.utils.clip_grad_norm_(parameters, train.ClipNorm);
                optimizer.step();
                if (device.type == DeviceType.CUDA)
                    cuda.synchronize(device);
                if (done >= warmup)
                    tokens += batches.Current.Items;
                done++;
            }
        }
        clock.Stop();
        return new LanguageModelThroughput("", "", steps, clock.Elapsed.TotalSeconds, tokens);
    }
}
