using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Research.Data.Batching;
using Research.Data.Registry;
using Research.Data.Text;
using Research.Data.TimeSeries;
using Research.Experiments.Benchmarks;
using Research.Experiments.Cli;
using Research.Experiments.Reporting;
using Research.Experiments.Tasks;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;

namespace Research.Experiments.Commands;

/// <summary>
/// `research bench data`: how long the data pipeline takes on the real datasets (median of repeats, same process).
/// `research bench lstm`: the readable Lstm, the fast Lstm and nn.LSTM (see <see cref="LstmBenchmark"/>).
/// Each prints a table and writes it, with the machine, date and command, to a Markdown file and a JSON file.
/// </summary>
public static class BenchCommand
{
    private static readonly Option<string?> DataDir = TypedOptions.Text("--data-dir", $"dataset mirror (default ${DataDirectories.MirrorVariable})");
    private static readonly Option<string?> Out = TypedOptions.Text("--out", "Markdown report to write (the JSON results go beside it)");
    private static readonly Option<string> DeviceName = TypedOptions.Text("--device", "cpu, cuda or cuda:N", "cpu");

    private static readonly Option<int> DataRepeats = TypedOptions.Int("--repeats", "timed repeats per step (the median is reported)", 5, min: 1);

    private static readonly Option<int> LstmRepeats = TypedOptions.Int("--repeats", "timed repeats per step (the median is reported)", 9, min: 1);
    private static readonly Option<string?> Json = TypedOptions.Text("--json", "JSON results to write (default: beside --out; docs/bench-lstm.json without --out)");
    private static readonly Option<string> Hidden = TypedOptions.Text("--hidden", "hidden sizes, comma-separated (input size = hidden size)", "200,650,1500");
    private static readonly Option<int> Layers = TypedOptions.Int("--layers", "number of layers", 2, min: 1);
    private static readonly Option<int> Batch = TypedOptions.Int("--batch", "batch size B", 20, min: 1);
    private static readonly Option<int> Seq = TypedOptions.Int("--seq", "sequence length T", 35, min: 1);
    private static readonly Option<string> Dtype = TypedOptions.Text("--dtype", "float32 or float64", "float32");
    private static readonly Option<int> Warmup = TypedOptions.Int("--warmup", "untimed steps per implementation before timing (at least)", 3, min: 0);
    // .NET compiles the C# paths optimised only after ~30 calls: a second's warm-up gets a 10 ms step there.
    private static readonly Option<double> WarmupSeconds = TypedOptions.Double("--warmup-seconds", "untimed warm-up per implementation before timing, in seconds (at least)", 1.0, min: 0);
    private static readonly Option<int> MemorySteps = TypedOptions.Int("--memory-steps", "fast-path training steps between the two memory readings", 1000, min: 0);
    private static readonly Option<int> MemoryHidden = TypedOptions.Int("--memory-hidden", "hidden size of the memory run", 200, min: 1);

    private static readonly Option<string> Models = TypedOptions.Text("--models", "small, medium or small,medium", "small,medium");
    private static readonly Option<int> Steps = TypedOptions.Int("--steps", "timed training steps per model and core", 50, min: 1);
    // One step per core per round by default: the finer the turns, the less a change of the host's speed falls on one core.
    private static readonly Option<int?> Rounds = TypedOptions.OptionalInt("--rounds", "the timed steps are split into this many rounds, the cores taking turns in each (default: as many as --steps, one step per core per round)", min: 1);

    private static readonly Option<int?> KernelWidth = TypedOptions.OptionalInt("--kernel-width", "the step kernel's vector width in bits, 256 or 512 (default: the widest this CPU runs)");
    private static readonly Option<string?> OldBuild = TypedOptions.Text("--old", "the old build (required): a Research.Models.dll or a directory holding one (scripts/models-at REF DIR makes one)");
    private static readonly Option<string?> NewBuild = TypedOptions.Text("--new", "the new build (required), likewise; the same path on both sides reads the noise floor");
    private static readonly Option<string> Parts = TypedOptions.Text("--parts", $"what to time, comma-separated: {string.Join(", ", BuildComparison.PartNames)}", "train,infer");
    private static readonly Option<string> Backend = TypedOptions.Text("--backend", "the stacks' backend (auto, kernel, fast, readable) for train and infer", "auto");
    private static readonly Option<int> Pairs = TypedOptions.Int("--pairs", "timed pairs per part and size (the order alternates pair by pair)", 200, min: 2);
    private static readonly Option<int> ColdMegabytes = TypedOptions.Int("--cold-mb", "MB written, untimed, before each timed call and between a train part's forward and backward, so the layers start from memory as in a language model's step (0: caches left warm)", 0, min: 0);

    private static readonly Option<bool> Force = TypedOptions.Flag("--force", "write the report even when the run was contended (the report then says so)");

    // Each benchmark's own options follow its name: what a benchmark reads is declared with it, nowhere else.
    public static Command Create() => new("bench", "measure speed: loading and batching, the LSTM cores, language-model training, two builds against each other")
    {
        Verb.Create("data", "the data pipeline on the real datasets: loading, batching, windowing (docs/bench-data.md)", RunData,
            DataRepeats, DataDir, Out),
        Verb.Create("lstm", "the readable Lstm, the fast Lstm and nn.LSTM, forward+backward and memory (docs/bench.md)", RunLstm,
            LstmRepeats, Out, Json, Hidden, Layers, Batch, Seq, Dtype, DeviceName, Warmup, WarmupSeconds, MemorySteps, MemoryHidden, KernelWidth, Force),
        Verb.Create("lm", "PTB training tokens/s of the language models per recurrent core (docs/bench-lm.md)", RunLanguageModel,
            Models, Steps, Warmup, WarmupSeconds, Rounds, DeviceName, DataDir, Out, Force),
        Verb.Create("builds", "two builds of Research.Models in one process, in alternating pairs: new / old per part (docs/step-kernel.md)", RunBuilds,
            OldBuild, NewBuild, Parts, Hidden, Layers, Batch, Seq, Backend, Pairs, ColdMegabytes, WarmupSeconds, Out, Force),
    };

    private static int RunLanguageModel(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var models = args.GetValue(Models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = models.FirstOrDefault(m => LanguageModelBenchmark.Models.All(k => k.Name != m));
        if (unknown is not null || models.Length == 0)
            throw new UsageException($"--models takes small and/or medium, got '{args.GetValue(Models)}'");
        var (steps, warmup, warmupSeconds) = (args.GetValue(Steps), args.GetValue(Warmup), args.GetValue(WarmupSeconds));
        var rounds = args.GetValue(Rounds) ?? steps;
        if (rounds > steps)
            throw new UsageException($"--rounds ({rounds}) cannot exceed --steps ({steps}): every round needs a step");
        TorchRuntime.EnsureLoaded();
        var device = ParseOption(() => TensorOptions.ParseDevice(args.GetValue(DeviceName)!));
        var directories = DataDirectories.FromEnvironment(args.GetValue(DataDir));
        var ptb = TokenCorpus.LoadPtb(directories.Locate(DatasetCatalog.Ptb));
        var corpus = new LanguageCorpus(ptb.Vocabulary, ptb.Train, ptb.Valid, ptb.Test, CharLevel: false);
        var run = LanguageModelBenchmark.Run(corpus, models, steps, warmup, warmupSeconds, rounds, device, stdout);
        var results = run.Results;

        var table = new MarkdownTable("model", "core", "tokens/s", "ms/step", "ratio to nn.LSTM", "ratio, middle half of rounds");
        foreach (var r in results)
        {
            table.Add(r.Model, r.Core, r.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                r.MillisecondsPerStep.ToString("F1", CultureInfo.InvariantCulture), r.RatioToTorch.ToString("F2", CultureInfo.InvariantCulture),
                Quartiles.Text(r.RatioQuartiles));
        }
        stdout.WriteLine();
        stdout.Write(table);
        var machine = MachineInfo.Current(device.ToString());
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var command = $"scripts/research bench lm --models {string.Join(',', models)} --steps {steps} --warmup {warmup} --warmup-seconds {warmupSeconds.ToString(CultureInfo.InvariantCulture)} --rounds {rounds}";
        var outPath = args.GetValue(Out) ?? "docs/bench-lm.md";
        if (!ReportGate.MayWrite(run.Verdict, args.GetValue(Force), outPath, stdout))
            return 0;
        WriteAtomically(outPath, new StringBuilder()
            .AppendLine("# Language-model training throughput (PTB)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` · {date} · {machine}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Run: {run.Verdict.Summary}.")
            .AppendLine(CultureInfo.InvariantCulture, $"Peak: {run.Peak.Formula}.")
            .AppendLine()
            .Append(table)
            .AppendLine()
            .Append(run.PartsTable)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The second table cuts one training step of each core at its seams and times each part forward + backward (median of {LanguageModelBenchmark.AnatomyRepeats} steps, the cores taking turns step by step {TurnOrder.Described("repeat")}, each timed step right after an untimed training step of the same core, on PTB's first training windows (one per step, the same for every core), no dropout; where the model embeds each distinct token once (model.project_distinct_tokens, without dropout), the embedding part looks up the distinct tokens and the LSTM part computes its first input product per distinct token; clipping is the norm, its scaling applied in the optimizer step); GFLOP counts the GEMMs (LSTM 3 × 2·T·B·4H·(in+H) per layer, decoder 3 × 2·T·B·H·V).")
            .AppendLine()
            .Append(run.LossTable)
            .AppendLine()
            .AppendLine("The third table times one step's loss alone, forward + backward on the logits [T·B, V]: the fused softmax cross-entropy (train.fused_cross_entropy, the default, used by every core row above but \"libtorch cross-entropy\") against libtorch's cross_entropy, in adjacent pairs whose order alternates; the ratio is the median of the pairs' ratios (< 1: fused is faster). See docs/fused-cross-entropy.md.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Whole training steps (embedding, LSTM, decoder, softmax loss, backward, clipping, SGD) on PTB batches, after at least {warmup} warm-up steps and {warmupSeconds} s of them per core, ")
            .AppendLine("in one process; small = 2×200, batch 20, BPTT 20; medium = 2×650, batch 20, BPTT 35, dropout 0.5 (so medium's first input product runs per position in training: the dropout sits between the embedding and the LSTM). \"input product per position\" is the default with model.project_distinct_tokens false. The cores take turns in ")
            .AppendLine(CultureInfo.InvariantCulture, $"{rounds} rounds of the timed steps, in an order that changes every round as in the parts table, each core's turn opening with one untimed step; tokens/s and ms/step are medians over the rounds, the ratio the median over rounds of tokens/s over nn.LSTM's in the same round (> 1: faster than nn.LSTM), beside the first and third quartiles of those rounds' ratios.")
            .AppendLine()
            .AppendLine(DisturbanceVerdict.HowToRead)
            .ToString());
        var jsonPath = Path.ChangeExtension(outPath, ".json");
        WriteAtomically(jsonPath, JsonSerializer.Serialize(new
        {
            date,
            command,
            machine,
            contended = run.Verdict.Contended,
            disturbance = run.Verdict.Json,
            peak = new { gflops = double.IsNaN(run.Peak.Gflops) ? (double?)null : run.Peak.Gflops, formula = run.Peak.Formula },
            results = results.Select(r => new
            {
                model = r.Model,
                core = r.Core,
                tokens_per_second = r.TokensPerSecond,
                ms_per_step = r.MillisecondsPerStep,
                tokens_per_second_ratio_to_torch = r.RatioToTorch,
                tokens_per_second_ratio_quartiles = new[] { r.RatioQuartiles.Low, r.RatioQuartiles.High },
            }),
            parts = run.Parts.Select(p => new { model = p.Model, core = p.Core, part = p.Part, ms = p.Milliseconds, gflop = double.IsNaN(p.Gflop) ? (double?)null : p.Gflop }),
            loss = run.Losses.Select(l => new { model = l.Model, rows = l.Rows, classes = l.Classes, pairs = l.Pairs, fused_ms = l.FusedMs, libtorch_ms = l.LibtorchMs, fused_to_libtorch = l.Ratio }),
        }, JsonOptions));
        stdout.WriteLine($"wrote {outPath} and {jsonPath}");
        return 0;
    }

    private static int RunBuilds(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var (oldPath, newPath) = (args.GetValue(OldBuild), args.GetValue(NewBuild));
        if (oldPath is null || newPath is null)
            throw new UsageException($"{(oldPath is null ? "--old" : "--new")} is required: a Research.Models.dll or a directory holding one");
        var parts = args.GetValue(Parts)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => BuildComparison.PartNames.ToList().IndexOf(p) is var i and >= 0
                ? (BuildPart)i
                : throw new UsageException($"--parts takes {string.Join(", ", BuildComparison.PartNames)}, got '{p}'"))
            .Distinct().ToArray();
        if (parts.Length == 0)
            throw new UsageException("--parts needs at least one part");
        var backend = args.GetValue(Backend)!;
        if (!Enum.TryParse<RecurrentBackendKind>(backend, ignoreCase: true, out _))
            throw new UsageException($"--backend takes {string.Join(", ", Enum.GetNames<RecurrentBackendKind>().Select(n => n.ToLowerInvariant()))}, got '{backend}'");
        var options = new BuildComparisonOptions(ParseHidden(args), args.GetValue(Layers), args.GetValue(Batch), args.GetValue(Seq), backend, parts,
            args.GetValue(Pairs), args.GetValue(WarmupSeconds), args.GetValue(ColdMegabytes));
        TorchRuntime.EnsureLoaded();
        var builds = ParseOption(() => (Old: ModelsBuild.Load("old", oldPath), New: ModelsBuild.Load("new", newPath)));
        var run = ParseOption(() => BuildComparison.Run(builds.Old, builds.New, options, stdout));

        var table = new MarkdownTable("part", "hidden", "old ms", "new ms", "new / old", "middle half of pairs", "largest difference");
        foreach (var r in run.Results)
        {
            table.Add(BuildComparison.Name(r.Part), r.Hidden.ToString(CultureInfo.InvariantCulture), r.OldMs.ToString("F3", CultureInfo.InvariantCulture),
                r.NewMs.ToString("F3", CultureInfo.InvariantCulture), r.Ratio.ToString("F3", CultureInfo.InvariantCulture), Quartiles.Text(r.RatioQuartiles),
                r.MaxDifference == 0 ? "0 (equal bit for bit)" : r.MaxDifference.ToString("G3", CultureInfo.InvariantCulture));
        }
        stdout.WriteLine();
        stdout.Write(table);
        stdout.WriteLine($"Run: {run.Verdict.Summary}.");
        if (args.GetValue(Out) is not { } outPath)
            return 0;
        var machine = MachineInfo.Current("cpu");
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        if (!ReportGate.MayWrite(run.Verdict, args.GetValue(Force), outPath, stdout))
            return 0;
        WriteAtomically(outPath, new StringBuilder()
            .AppendLine("# Two builds of Research.Models, in one process")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `scripts/{Verb.CommandLine(args)}` · {date} · {machine}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Old: {builds.Old.Path}. New: {builds.New.Path}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Run: {run.Verdict.Summary}.")
            .AppendLine()
            .Append(table)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Each part ran {options.Layers} layers (train, infer; the kernel parts one layer) at batch {options.Batch}, sequence {options.Seq}, float32 on the CPU, backend {backend}: once on each build for the results' check, then warm-up, then {options.Pairs} timed pairs whose order alternates{(options.ColdMegabytes > 0 ? $", with {options.ColdMegabytes} MB written (untimed) before each call and between a train part's forward and backward" : "")}. ms are medians; new / old is the median of the pairs' ratios (< 1: new is faster), beside their first and third quartiles. \"largest difference\" compares the two builds' outputs (infer; forward-steps; pack, through the forward steps its panels give), input and parameter gradients (train) or dA (backward-steps).")
            .ToString());
        WriteAtomically(Path.ChangeExtension(outPath, ".json"), JsonSerializer.Serialize(new
        {
            date,
            command = $"scripts/{Verb.CommandLine(args)}",
            machine,
            old_build = builds.Old.Path,
            new_build = builds.New.Path,
            cold_mb = options.ColdMegabytes,
            contended = run.Verdict.Contended,
            disturbance = run.Verdict.Json,
            results = run.Results.Select(r => new
            {
                part = BuildComparison.Name(r.Part),
                hidden = r.Hidden,
                pairs = r.Pairs,
                old_ms = r.OldMs,
                new_ms = r.NewMs,
                new_to_old = r.Ratio,
                new_to_old_quartiles = new[] { r.RatioQuartiles.Low, r.RatioQuartiles.High },
                max_difference = r.MaxDifference,
            }),
        }, JsonOptions));
        stdout.WriteLine($"wrote {outPath} and {Path.ChangeExtension(outPath, ".json")}");
        return 0;
    }

    private static int[] ParseHidden(ParseResult args)
    {
        var hidden = args.GetValue(Hidden)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(h => int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new UsageException($"--hidden must be positive integers separated by commas, got '{args.GetValue(Hidden)}'"))
            .ToArray();
        return hidden.Length > 0 ? hidden : throw new UsageException("--hidden needs at least one size");
    }

    private static int RunLstm(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var hidden = ParseHidden(args);
        var repeats = args.GetValue(LstmRepeats);
        var (layers, batch, seq) = (args.GetValue(Layers), args.GetValue(Batch), args.GetValue(Seq));
        var (warmup, memorySteps, memoryHidden) = (args.GetValue(Warmup), args.GetValue(MemorySteps), args.GetValue(MemoryHidden));
        var dtype = ParseOption(() => TensorOptions.ParseDtype(args.GetValue(Dtype)!));
        TorchRuntime.EnsureLoaded();
        var device = ParseOption(() => TensorOptions.ParseDevice(args.GetValue(DeviceName)!));
        var options = new LstmBenchmarkOptions(hidden, layers, batch, seq, dtype, device, repeats, warmup, args.GetValue(WarmupSeconds), memorySteps, memoryHidden, args.GetValue(Force),
            args.GetValue(KernelWidth));
        if (options.KernelWidth is { } bits)
        {
            if (bits is not (256 or 512))
                throw new UsageException($"--kernel-width takes 256 or 512, got {bits}");
            ParseOption(() => { LstmStepKernel.UseWidth(bits); return bits; });
        }

        var result = LstmBenchmark.Run(options, stdout);
        var tables = LstmBenchmarkReport.Tables(options, result);
        stdout.WriteLine();
        stdout.Write(tables);

        var machine = MachineInfo.Current(device.ToString());
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var outPath = args.GetValue(Out) ?? "docs/bench.md";
        // A report sent elsewhere takes its JSON with it: a scratch run must not overwrite the recorded docs/bench-lstm.json.
        var jsonPath = args.GetValue(Json) ?? (args.GetValue(Out) is { } chosen ? Path.ChangeExtension(chosen, ".json") : "docs/bench-lstm.json");
        if (!ReportGate.MayWrite(result.Verdict, options.Force, outPath, stdout))
            return 0;
        WriteAtomically(outPath, LstmBenchmarkReport.Markdown(options, result, tables, machine, date));
        WriteAtomically(jsonPath, LstmBenchmarkReport.Json(options, result, machine, date));
        stdout.WriteLine($"wrote {outPath} and {jsonPath}");
        return 0;
    }

    private static T ParseOption<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int RunData(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var repeats = args.GetValue(DataRepeats);
        var directories = DataDirectories.FromEnvironment(args.GetValue(DataDir));
        TorchRuntime.EnsureLoaded();
        var ptb = directories.Locate(DatasetCatalog.Ptb);
        var ett = directories.Locate(DatasetCatalog.Ett);

        var rows = new List<BenchRow>();
        var corpus = Measure(rows, "PTB: read + tokenise train/valid/test", repeats, () => TokenCorpus.LoadPtb(ptb), c => c.Train.Length + c.Valid.Length + c.Test.Length, "tokens");
        var batched = Measure(rows, "PTB train: batchify (batch 20)", repeats, () => LanguageModelBatches.Batchify(corpus.Train.Ids, 20), t => t.numel(), "tokens");
        Measure(rows, "PTB train: all BPTT windows (35)", repeats, () =>
        {
            using var scope = torch.NewDisposeScope();
            return LanguageModelBatches.FixedWindows(batched, 35).Sum(w => w.Input.numel());
        }, n => n, "tokens");
        var options = new TimeSeriesCsvOptions { TimeColumn = "date" };
        var frame = Measure(rows, "ETTm1: read CSV (69,680 x 7)", repeats, () => TimeSeriesCsv.Load(Path.Combine(ett, "ETTm1.csv"), options), f => f.RowCount, "rows");
        var dataset = Measure(rows, "ETTm1: Informer split + scaler fit/transform", repeats, () => ForecastDataset.Prepare(frame,
            ChronologicalSplit.InformerEtt(frame, EttGranularity.FifteenMinutes, 96), ForecastColumns.Multivariate(frame)), d => d.Frame.RowCount, "rows");
        Measure(rows, "ETTm1 train: all windows (96 → 24), batches of 32", repeats, () =>
        {
            var windows = 0L;
            foreach (var batch in dataset.Windows(SplitPart.Train, 24).Batches(32, new Random(1)))
            {
                windows += batch.Inputs.shape[0];
                batch.Dispose();
            }
            return windows;
        }, n => n, "windows");

        var machine = MachineInfo.Current("cpu");
        var table = new MarkdownTable("step", "median ms", "items", "items per second");
        foreach (var r in rows)
            table.Add(r.Step, r.Milliseconds.ToString("F1", CultureInfo.InvariantCulture), $"{r.Items:N0} {r.ItemName}",
                (r.Items / (r.Milliseconds / 1000)).ToString("N0", CultureInfo.InvariantCulture));
        stdout.Write(table);

        var outPath = args.GetValue(Out) ?? "docs/bench-data.md";
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var report = new StringBuilder()
            .AppendLine("# Data pipeline benchmark")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `scripts/research bench data --repeats {repeats}` · {date} · {machine}")
            .AppendLine()
            .Append(table)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Median of {repeats} repeats after one untimed run, in one process; written by the command, not by hand.")
            .ToString();
        WriteAtomically(outPath, report);
        WriteAtomically(Path.ChangeExtension(outPath, ".json"), JsonSerializer.Serialize(new { date, machine, repeats, rows }, JsonOptions));
        stdout.WriteLine($"wrote {outPath} and {Path.ChangeExtension(outPath, ".json")}");
        return 0;
    }

    private sealed record BenchRow(string Step, double Milliseconds, long Items, string ItemName);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static T Measure<T>(List<BenchRow> rows, string step, int repeats, Func<T> work, Func<T, long> items, string itemName)
    {
        var result = work(); // untimed: JIT and file cache
        var samples = new double[repeats];
        for (var k = 0; k < repeats; k++)
        {
            var clock = Stopwatch.StartNew();
            result = work();
            samples[k] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        rows.Add(new BenchRow(step, samples[repeats / 2], items(result), itemName));
        return result;
    }

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full + ".tmp", text);
        File.Move(full + ".tmp", full, overwrite: true);
    }
}
