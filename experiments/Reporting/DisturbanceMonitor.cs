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
/// A timed round followed by a sample more than <see cref="DisturbanceVerdict.Tolerance"/> slower than the fastest so
/// far is taken again (<see cref="KeepRound"/>), once the reference is back, up to <see cref="MaxRoundRetakes"/> times a
/// run: the AMD VM falls into a state where everything runs 2.5–3.5 × slower for 0.5 s to a few seconds (4 of 14
/// processes, 2026-12-06), and a round that met it measured the VM, not the code. The samples set aside are reported.
/// </summary>
public sealed class DisturbanceMonitor : IDisposable
{
    private const int Size = 512;
    private const int Products = 8;

    /// <summary>How often one sample is taken again while the JIT compiles (about 45 ms each): startup's waves last a few hundred ms.</summary>
    public const int MaxRetakes = 20;

    /// <summary>
    /// How many timed rounds a run takes again after a slow reference sample; past it, slow samples stay in the verdict.
    /// A `bench lstm` run has about 50 rounds: with 10, a run on the AMD VM (2026-12-06 19:40 UTC) spent them all on
    /// samples of 6.0–6.5 ms against a fastest of 5.36, and was CONTENDED by 12.3 %.
    /// </summary>
    public const int MaxRoundRetakes = 30;

    /// <summary>How long <see cref="KeepRound"/> waits at most for the reference to come back, sampling every half second.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly Func<long> compiledMethods;
    private readonly Func<double> referenceRun;
    private readonly Action<TimeSpan> wait;
    private readonly List<double> setAside = [];
    // The fastest reference run of the untimed warm-up: what the first samples are held to (none where a test scripts the runs).
    private double warmupFastest = double.PositiveInfinity;
    private readonly Tensor a;
    private readonly Tensor b;
    private readonly List<double> referenceMs = [];
    private readonly List<double> loads = [];

    /// <param name="compiledMethods">How many methods this process has compiled so far (tests count their own).</param>
    /// <param name="referenceRun">One timing of the reference, ms (tests script their own; by default the product).</param>
    /// <param name="wait">Sleeps between samples while the reference is slow (tests skip it).</param>
    public DisturbanceMonitor(Func<long>? compiledMethods = null, Func<double>? referenceRun = null, Action<TimeSpan>? wait = null)
    {
        this.compiledMethods = compiledMethods ?? (() => System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false));
        this.referenceRun = referenceRun ?? FastestRun;
        this.wait = wait ?? Thread.Sleep;
        Cores = get_num_threads();
        using var generator = new Generator(1);
        a = randn([Size, Size], generator: generator);
        b = randn([Size, Size], generator: generator);
        // Untimed samples for at least half a second, the samples' own code path: without them the first sample of a
        // run came out 10–60 % slower than the rest in 15 of 18 bench runs, which made it CONTENDED by itself.
        WarmUp.Run(() =>
        {
            var ms = FastestRun();
            if (referenceRun is null)
                warmupFastest = Math.Min(warmupFastest, ms);
        }, 1, TimeSpan.FromSeconds(0.5));
    }

    /// <summary>The threads the benchmark's libtorch ops use: the load it may put on the machine itself.</summary>
    public int Cores { get; }

    /// <summary>Samples taken again because the JIT compiled during them, over the monitor's life.</summary>
    public int Retakes { get; private set; }

    /// <summary>Timed rounds the caller took again because the reference sample after them was slow (<see cref="KeepRound"/>).</summary>
    public int RoundRetakes { get; private set; }

    /// <summary>
    /// The sample that opens a benchmark's timed work, after its warm-up: held to the samples before it or, if it is the
    /// first, to the monitor's own warm-up runs, and taken again (after waiting for the reference to come back) while it is more than the tolerance slower. A slow
    /// first sample made 7 of 19 `bench lstm` runs and a `bench lm` run on the AMD VM CONTENDED by itself (2026-12-06).
    /// </summary>
    public void Open()
    {
        while (!KeepRound())
        {
        }
    }

    /// <summary>Runs <paramref name="timed"/>, a timed round, until <see cref="KeepRound"/> keeps it; returns what the kept run returned.</summary>
    public T Round<T>(Func<T> timed)
    {
        T result;
        do
            result = timed();
        while (!KeepRound());
        return result;
    }

    /// <summary>Times the reference (the fastest of three runs of <c>Products</c> products) and reads the load average.</summary>
    public void Sample()
    {
        for (var take = 0; ; take++)
        {
            var before = compiledMethods();
            var ms = referenceRun();
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

    /// <summary>
    /// Samples after a timed round and says whether to keep the round. A sample more than the tolerance slower than the
    /// fastest so far is set aside, the monitor waits (up to <see cref="MaxWait"/>) until the reference is back within
    /// the tolerance, and the answer is false: time the round again. After <see cref="MaxRoundRetakes"/> such rounds every
    /// sample is kept, so a machine that stays slow still reads CONTENDED.
    /// </summary>
    public bool KeepRound()
    {
        Sample();
        // Held to the samples kept so far, as the verdict holds them; the first, to the warm-up's fastest run.
        var (ms, fastest) = (referenceMs[^1], referenceMs.Count > 1 ? referenceMs.Min() : warmupFastest);
        if (ms <= fastest * (1 + DisturbanceVerdict.Tolerance) || RoundRetakes == MaxRoundRetakes)
            return true;
        referenceMs.RemoveAt(referenceMs.Count - 1);
        setAside.Add(ms);
        RoundRetakes++;
        var step = TimeSpan.FromSeconds(0.5);
        for (var waited = TimeSpan.Zero; waited < MaxWait; waited += step)
        {
            wait(step);
            var probe = referenceRun();
            if (probe <= fastest * (1 + DisturbanceVerdict.Tolerance))
                break;
            setAside.Add(probe);
        }
        return false;
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

    public DisturbanceVerdict Verdict() => DisturbanceVerdict.From(referenceMs, loads, Cores) with
    {
        Retakes = Retakes,
        RoundRetakes = RoundRetakes,
        SetAsideMs = [.. setAside],
    };

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
        "is timed at the start, after every round and at the end (a sample during which this process's JIT compiled is taken again; a round after which it came out more than 12 % " +
        "slower than its fastest sample (or the monitor's warm-up) is timed again once it is back, at most 30 times a run, the opening sample likewise, and the samples set aside are listed); on a quiet machine its times agree within 12 % and the 1-minute load " +
        "average stays at or below the cores the benchmark uses. Each ratio is the median of per-round ratios of implementations run back " +
        "to back, printed beside the middle half of those per-round ratios (first to third quartile), which shows how far the rounds agreed; " +
        "on a quiet machine it agrees with the ratio of its own columns within 12 %, and a run where it does not is marked CONTENDED " +
        "too. A contended run's numbers are not results: the command keeps the previous report unless given --force. GFLOP/s count the GEMMs " +
        "only; the peak beside them is computed from the machine (the Peak line shows how), so the distance to the physical limit reads off directly.";

    public bool Contended => Reasons.Count > 0;

    /// <summary>What every benchmark's JSON records of the check, under "disturbance".</summary>
    public object Json => new
    {
        reasons = Reasons,
        reference_ms = ReferenceMs,
        load_averages = Loads,
        cores = Cores,
        retakes = Retakes,
        rounds_retaken = RoundRetakes,
        set_aside_ms = SetAsideMs,
        tolerance = Tolerance,
    };

    /// <summary>Reference samples taken again because this process's JIT compiled during them (see <see cref="DisturbanceMonitor"/>).</summary>
    public int Retakes { get; init; }

    /// <summary>Timed rounds taken again because the reference sample after them was slow (see <see cref="DisturbanceMonitor.KeepRound"/>).</summary>
    public int RoundRetakes { get; init; }

    /// <summary>The slow reference samples those retakes set aside (and the probes taken while waiting), ms.</summary>
    public IReadOnlyList<double> SetAsideMs { get; init; } = [];

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
                $"{(Contended ? "CONTENDED" : "quiet")}: reference product {samples} ms (spread {100 * ReferenceSpread:F0} %, limit {100 * Tolerance:F0} %{(Retakes > 0 ? $"; {Retakes} taken again while this process's JIT compiled" : "")}{(RoundRetakes > 0 ? $"; {RoundRetakes} slow samples set aside and their rounds timed again, with the probes while waiting: {string.Join(", ", SetAsideMs.Select(ms => ms.ToString("F2", CultureInfo.InvariantCulture)))} ms" : "")}), 1-minute load average up to {MaxLoad:F2} on {Cores} benchmark cores{why}");
        }
    }
}
