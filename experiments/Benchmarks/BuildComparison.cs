using System.Diagnostics;
using Research.Experiments.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>What <see cref="BuildComparison"/> times of each build.</summary>
public enum BuildPart
{
    /// <summary>A stack's training step: forward, then the backward of the output's sum; the input's and parameters' gradients are compared.</summary>
    Train,

    /// <summary>A stack's forward under no_grad.</summary>
    Infer,

    /// <summary>The step kernel's forward steps of one layer, W_hh packed beforehand (float32 CPU only).</summary>
    ForwardSteps,

    /// <summary>The step kernel's backward steps of one layer, W_hh's pack (where the build packs it) included (float32 CPU only).</summary>
    BackwardSteps,

    /// <summary>The step kernel's forward pack of W_hh alone (float32 CPU only); checked through the forward steps it gives.</summary>
    Pack,
}

/// <summary>
/// What to compare: sizes, the parts timed and how many pairs. <paramref name="ColdMegabytes"/> &gt; 0 writes that many
/// MB, untimed, before each timed call and between a train part's forward and backward, so that the layers find their
/// weights and activations out of cache, as a language model's step leaves them (its decoder's products and optimizer
/// step pass tens of MB between the layers' forward and backward).
/// </summary>
public sealed record BuildComparisonOptions(
    IReadOnlyList<int> Hidden, int Layers, int Batch, int Seq, string Backend, IReadOnlyList<BuildPart> Parts, int Pairs, double WarmupSeconds,
    int ColdMegabytes = 0);

/// <summary>
/// One part at one size: both builds' median milliseconds, the median of the pairs' ratios new / old (&lt; 1: new is
/// faster) with its quartiles, and the largest difference between the two builds' results (0: equal bit for bit).
/// </summary>
public sealed record BuildPairResult(
    BuildPart Part, int Hidden, int Pairs, double OldMs, double NewMs, double Ratio, (double Low, double High) RatioQuartiles, double MaxDifference);

/// <summary>The comparison's results and whether other work disturbed it.</summary>
public sealed record BuildComparisonRun(IReadOnlyList<BuildPairResult> Results, DisturbanceVerdict Verdict);

/// <summary>
/// Two builds of Research.Models (<see cref="ModelsBuild"/>) in one process, on the same tensors and weights: each part
/// runs once on each side for the results' check, both warm up, then the timed calls come in adjacent pairs whose order
/// alternates (old-new, new-old, ...), so a change of the machine's speed falls on both sides alike. Two copies of the
/// same build read about 1.00 (the noise floor); that is the check to run first on a new machine.
/// </summary>
public static class BuildComparison
{
    /// <summary>The part names of the command line, in <see cref="BuildPart"/>'s order.</summary>
    public static IReadOnlyList<string> PartNames { get; } = ["train", "infer", "forward-steps", "backward-steps", "pack"];

    public static string Name(BuildPart part) => PartNames[(int)part];

    /// <summary>
    /// One build's part, ready to run: <c>Prepare</c> is untimed; <c>Run(keep, between)</c> is timed (a train part calls
    /// <c>between</c>, which stops the clock, between its forward and its backward) and, asked to, returns a copy of its result.
    /// </summary>
    private sealed record Side(Action Prepare, Func<bool, Action, Tensor?> Run);

    public static BuildComparisonRun Run(ModelsBuild older, ModelsBuild newer, BuildComparisonOptions o, TextWriter log)
    {
        var kernelParts = o.Parts.Where(p => p is BuildPart.ForwardSteps or BuildPart.BackwardSteps or BuildPart.Pack).ToList();
        if (kernelParts.Count > 0 && !(older.KernelSupported && newer.KernelSupported))
            throw new NotSupportedException($"{Name(kernelParts[0])}: the step kernel does not run on this CPU (it needs AVX2 and FMA)");
        // Sampled as each part's timed pairs start (after its warm-up) and as they end.
        using var monitor = new DisturbanceMonitor();
        var results = new List<BuildPairResult>();
        foreach (var hidden in o.Hidden)
        {
            foreach (var part in o.Parts)
            {
                log.WriteLine($"{Name(part)} at hidden {hidden}: {o.Pairs} pairs...");
                using var scope = NewDisposeScope();
                var owned = new List<IDisposable>();
                try
                {
                    var sides = new[] { older, newer }.Select(build => Make(build, part, hidden, o, owned)).ToArray();
                    using var cold = o.ColdMegabytes > 0 ? empty([o.ColdMegabytes * (1L << 18)]) : null;
                    results.Add(Time(part, hidden, sides, o, monitor, cold));
                }
                finally
                {
                    // Stacks and kernels hold native memory (parameters, packed panels): freed now, not by finalizers.
                    foreach (var item in owned)
                        item.Dispose();
                }
                monitor.Sample();
            }
        }
        return new BuildComparisonRun(results, monitor.Verdict());
    }

    private static BuildPairResult Time(BuildPart part, int hidden, Side[] sides, BuildComparisonOptions o, DisturbanceMonitor monitor, Tensor? cold)
    {
        var clock = new Stopwatch();
        using var one = 1.0f.ToScalar();
        // Writes `cold` with the clock stopped: what the timed call reads next comes from memory, not from cache.
        void Flush()
        {
            if (cold is null)
                return;
            var running = clock.IsRunning;
            clock.Stop();
            cold.fill_(one);
            if (running)
                clock.Start();
        }
        var first = sides.Select(s =>
        {
            s.Prepare();
            return s.Run(true, () => { })!;
        }).ToArray();
        var difference = first[0].shape.SequenceEqual(first[1].shape) ? (first[0] - first[1]).abs().max().item<float>() : float.PositiveInfinity;
        WarmUp.Run(() =>
        {
            foreach (var side in sides)
            {
                side.Prepare();
                Flush();
                side.Run(false, Flush);
            }
        }, 3, TimeSpan.FromSeconds(o.WarmupSeconds));
        monitor.Open();
        var times = new[] { new List<double>(), new List<double>() };
        for (var pair = 0; pair < o.Pairs; pair++)
        {
            foreach (var which in pair % 2 == 0 ? [0, 1] : new[] { 1, 0 })
            {
                sides[which].Prepare();
                Flush();
                clock.Restart();
                sides[which].Run(false, Flush);
                clock.Stop();
                times[which].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        var ratios = times[1].Zip(times[0], (b, a) => b / a).ToList();
        return new BuildPairResult(part, hidden, o.Pairs, Median.Of(times[0]), Median.Of(times[1]), Median.Of(ratios), Quartiles.Of(ratios), difference);
    }

    // Both sides of a part get the same inputs and weights: the generator is seeded alike for each.
    private static Side Make(ModelsBuild build, BuildPart part, int hidden, BuildComparisonOptions o, List<IDisposable> owned)
    {
        using var generator = new Generator(1);
        return part switch
        {
            BuildPart.Train or BuildPart.Infer => StackSide(build, part == BuildPart.Train, hidden, o, generator, owned),
            _ => KernelSide(build, part, hidden, o, generator, owned),
        };
    }

    private static Side StackSide(ModelsBuild build, bool train, int hidden, BuildComparisonOptions o, Generator generator, List<IDisposable> owned)
    {
        var stack = build.Lstm(hidden, hidden, o.Layers, o.Backend);
        owned.Add(stack);
        var forward = ModelsBuild.ForwardOf(stack);
        using (no_grad())
        {
            foreach (var parameter in stack.parameters())
                parameter.uniform_(-0.1, 0.1, generator);
        }
        var x = randn([o.Seq, o.Batch, hidden], generator: generator);
        var input = x;
        void Prepare()
        {
            if (!train)
                return;
            stack.zero_grad();
            if (!ReferenceEquals(input, x))
                input.Dispose();
            input = x.detach().requires_grad_();
        }
        Tensor? Run(bool keep, Action between)
        {
            using var scope = NewDisposeScope();
            if (!train)
            {
                using var noGrad = no_grad();
                var y = forward(input);
                return keep ? y.clone().MoveToOuterDisposeScope() : null;
            }
            var loss = forward(input).sum();
            between();
            build.Backward(loss);
            // The input's gradient and every parameter's, flattened into one: a change to any of them shows.
            return keep ? cat(stack.parameters().Select(p => p.grad!.flatten()).Prepend(input.grad!.flatten()).ToList(), 0).MoveToOuterDisposeScope() : null;
        }
        return new Side(Prepare, Run);
    }

    private static Side KernelSide(ModelsBuild build, BuildPart part, int hidden, BuildComparisonOptions o, Generator generator, List<IDisposable> owned)
    {
        var (t, b) = (o.Seq, o.Batch);
        var inputs = randn([t, b, 4 * hidden], generator: generator);
        using var root = Math.Sqrt(hidden).ToScalar();
        var weightHh = randn([4 * hidden, hidden], generator: generator).div_(root);
        var gradients = randn([t, b, hidden], generator: generator);
        var (gates, dGates) = (empty_like(inputs), empty_like(inputs));
        var h0 = zeros([b, hidden]);
        var cells = zeros([t + 1, b, hidden]);
        var output = empty([t, b, hidden]);
        var (dH, dC) = (empty_like(gradients), zeros([b, hidden]));
        if (part == BuildPart.Pack)
        {
            return new Side(() => gates.copy_(inputs), (keep, _) =>
            {
                using var kernel = build.ForwardKernel(weightHh, b);
                if (!keep)
                    return null;
                // The panels are the kernel's own: they are checked through the forward steps they give.
                build.ForwardSteps(kernel, gates, h0, cells, output);
                return output.clone();
            });
        }
        var forwardKernel = build.ForwardKernel(weightHh, b);
        owned.Add(forwardKernel);
        if (part == BuildPart.ForwardSteps)
        {
            return new Side(() => gates.copy_(inputs), (keep, _) =>
            {
                build.ForwardSteps(forwardKernel, gates, h0, cells, output);
                return keep ? output.clone() : null;
            });
        }
        return new Side(() =>
        {
            gates.copy_(inputs);
            build.ForwardSteps(forwardKernel, gates, h0, cells, output);
            dH.copy_(gradients);
            dC.zero_();
        }, (keep, _) =>
        {
            build.BackwardSteps(dGates, dH, dC, gates, cells, weightHh);
            return keep ? dGates.clone() : null;
        });
    }
}
