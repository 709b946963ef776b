using System.Diagnostics;
using System.Globalization;
using Research.Experiments.Benchmarks;
using static TorchSharp.torch;

namespace Research.Experiments.Reporting;

/// <summary>
/// Tells a benchmark whether other work disturbed it: times a fixed reference product (a 512³ float32 matrix product
/// on the CPU, repeated; large enough that thread wake-ups do not set its time) and reads the 1-minute load average at the start, in every round and at the end. On a quiet
/// machine the reference takes the same time each sample; see <see cref="DisturbanceVerdict"/> for the rule.
/// A sample during which this process's own JIT compiled methods is taken again (up to <see cref="MaxRetakes"/> times):
/// the background compiler takes a core from the product's two threads, and the reference is there to measure the
/// machine, not the benchmark's compiler. On the AMD VM (8 runs, 3 s of samples each, 2026-12-06) 36 % of the samples
/// with compiles came out over 6.5 ms against the usual 5.2, and 4 % of those without.
/// </summary>
public sealed class DisturbanceMonitor : IDisposable
{
    private const int Size = 512;
    private const int Products = 8;

    /// <summary>How often one sample is taken again while the JIT compiles (about 45 ms each): startup's waves last a few hundred ms.</summary>
    public const int MaxRetakes = 20;

    private readonly Func<long> compiledMethods;
    private readonly Tensor a;
    private readonly Tensor b;
    private readonly List<double> referenceMs = [];
    private readonly List<double> loads = [];

    /// <param name="compiledMethods">How many methods this process has compiled so far (tests count their own).</param>
    public DisturbanceMonitor(Func<long>? compiledMethods = null)
    {
        this.compiledMethods = compiledMethods ?? (() => System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false));
        Cores = get_num_threads();
        using var generator = new Generator(1);
        a = randn([Size, Size], generator: generator);
        b = randn([Size, Size], generator: generator);
        // Untimed samples for at least half a second, the samples' own code path: without them the first sample of a
        // run came out 10–60 % slower than the rest in 15 of 18 bench runs, which made it CONTENDED by itself.
        WarmUp.Run(() => FastestRun(), 1, TimeSpan.FromSeconds(0.5));
    }

    /// <summary>The threads the benchmark's libtorch ops use: the load it may put on the machine itself.</summary>
    public int Cores { get; }

    /// <summary>Samples taken again because the JIT compiled during them, over the monitor's life.</summary>
    public int Retakes { get; private set; }

    /// <summary>Times the reference (the fastest of three runs of <c>Products</c> products) and reads the load average.</summary>
    public void Sample()
    {
        for (var take = 0; ; take++)
        {
            var before = compiledMethods();
            var ms = FastestRun();
            if (compiledMethods() == before || take == MaxRetakes)
            {
                referenceMs.Add(ms);
                break;
            }
            Retakes++;
        }
        if (LoadAverage() is { } load)
            loads.Add(load);
    }

    private double FastestRun()
    {
        var fastest = double.PositiveInfinity;
        for (var run = 0; run < 3; run++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < Products; k++)
                a.mm(b);
            fastest = Math.Min(fastest, clock.Elapsed.TotalMilliseconds);
        }
        return fastest;
    }

    public DisturbanceVerdict Verdict() => DisturbanceVerdict.From(referenceMs, loads, Cores) with { Retakes = Retakes };

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }

    private static double? LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
            return null;
        var first = File.ReadAllText(path).Split(' ')[0];
        return double.TryParse(first, CultureInfo.InvariantCulture, out var load) ? load : null;
    }
}

/// <summary>
/// Whether a benchmark run was contended: its reference product varied by more than <see cref="Tolerance"/> of its
/// fastest time between samples, or the 1-minute load average exceeded the cores the benchmark uses (more runnable
/// threads than its own). A contended run's numbers are not results: the command says so and does not overwrite its
/// report unless forced.
/// </summary>
public sealed record DisturbanceVerdict(IReadOnlyList<double> ReferenceMs, IReadOnlyList<double> Loads, int Cores, IReadOnlyList<string> Reasons)
{
    public const double Tolerance = 0.12;

    /// <summary>How a reader tells a quiet run from a disturbed one: written under every benchmark report's tables.</summary>
    public const string HowToRead =
        "How to read this run: the Run line says quiet or CONTENDED. A fixed reference product (512³ float32, on the benchmark's threads) " +
        "is timed at the start, after every round and at the end (a sample during which this process's JIT compiled is taken again); on a quiet machine its times agree within 12 % and the 1-minute load " +
        "average stays at or below the cores the benchmark uses. Each ratio is the median of per-round ratios of implementations run back " +
        "to back, printed beside the middle half of those per-round ratios (first to third quartile), which shows how far the rounds agreed; " +
        "on a quiet machine it agrees with the ratio of its own columns within 12 %, and a run where it does not is marked CONTENDED " +
        "too. A contended run's numbers are not results: the command keeps the previous report unless given --force. GFLOP/s count the GEMMs " +
        "only; the peak beside them is computed from the machine (the Peak line shows how), so the distance to the physical limit reads off directly.";

    public bool Contended => Reasons.Count > 0;

    /// <summary>What every benchmark's JSON records of the check, under "disturbance".</summary>
    public object Json => new { reasons = Reasons, reference_ms = ReferenceMs, load_averages = Loads, cores = Cores, retakes = Retakes, tolerance = Tolerance };

    /// <summary>Reference samples taken again because this process's JIT compiled during them (see <see cref="DisturbanceMonitor"/>).</summary>
    public int Retakes { get; init; }

    /// <summary>(slowest − fastest) / fastest over the reference samples.</summary>
    public double ReferenceSpread => ReferenceMs.Count == 0 ? 0 : (ReferenceMs.Max() - ReferenceMs.Min()) / ReferenceMs.Min();

    public double MaxLoad => Loads.Count == 0 ? double.NaN : Loads.Max();

    public static DisturbanceVerdict From(IReadOnlyList<double> referenceMs, IReadOnlyList<double> loads, int cores, IEnumerable<string>? moreReasons = null)
    {
        var reasons = new List<string>();
        if (referenceMs.Count > 0)
        {
            var spread = (referenceMs.Max() - referenceMs.Min()) / referenceMs.Min();
            if (spread > Tolerance)
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the reference product varied by {100 * spread:F0} % (> {100 * Tolerance:F0} %)"));
        }
        if (loads.Count > 0 && loads.Max() > cores)
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the 1-minute load average reached {loads.Max():F2} (> the {cores} cores the benchmark uses)"));
        reasons.AddRange(moreReasons ?? []);
        return new DisturbanceVerdict(referenceMs, loads, cores, reasons);
    }

    /// <summary>Adds a reason found by the benchmark itself (e.g. its rounds disagreeing).</summary>
    public DisturbanceVerdict With(IEnumerable<string> moreReasons) => this with { Reasons = [.. Reasons, .. moreReasons] };

    /// <summary>
    /// A reason to distrust a ratio: the median of per-round ratios (what a report prints) and the ratio of the two
    /// columns' medians (what a reader computes) differ by more than <see cref="Tolerance"/>; on a quiet machine the
    /// rounds agree and so do the two. Null when they agree.
    /// </summary>
    public static string? RatioDisagreement(string what, double medianOfRatios, double numerator, double denominator)
    {
        var ofColumns = numerator / denominator;
        return Math.Abs(medianOfRatios - ofColumns) <= Tolerance * Math.Abs(ofColumns)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{what}: the median of the rounds' ratios ({medianOfRatios:F2}) and the ratio of the columns ({ofColumns:F2}) differ by more than {100 * Tolerance:F0} %");
    }

    /// <summary>One line for the console and the report.</summary>
    public string Summary
    {
        get
        {
            var samples = string.Join(", ", ReferenceMs.Select(ms => ms.ToString("F2", CultureInfo.InvariantCulture)));
            var why = Contended ? "; " + string.Join("; ", Reasons) : "";
            return string.Create(CultureInfo.InvariantCulture,
                $"{(Contended ? "CONTENDED" : "quiet")}: reference product {samples} ms (spread {100 * ReferenceSpread:F0} %, limit {100 * Tolerance:F0} %{(Retakes > 0 ? $"; {Retakes} taken again while this process's JIT compiled" : "")}), 1-minute load average up to {MaxLoad:F2} on {Cores} benchmark cores{why}");
        }
    }
}
