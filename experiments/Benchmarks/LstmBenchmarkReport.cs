using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Research.Experiments.Reporting;
using Research.Models.Recurrent;

namespace Research.Experiments.Benchmarks;

/// <summary>Turns `bench lstm` results into the console/Markdown tables and the JSON file, each ratio named for what it is.</summary>
public static class LstmBenchmarkReport
{
    /// <summary>Issue 8's targets for the fast path, as a multiple of nn.LSTM's time.</summary>
    public static double TrainTarget(int hidden) => hidden < 650 ? 2.0 : 1.6;

    public const double InferTarget = 2.0;

    /// <summary>Issue 22's targets for the step kernel at every size: training at most 0.9 × nn.LSTM, inference at most 1.0 ×.</summary>
    public const double KernelTrainTarget = 0.9;

    public const double KernelInferTarget = 1.0;

    public static string Tables(LstmBenchmarkOptions o, LstmBenchmarkResult result)
    {
        var (sizes, memory, largeGemm, peak) = (result.Sizes, result.Memory, result.LargeGemmGflops, result.Peak);
        var times = new MarkdownTable("hidden", "step", "readable ms", "fast ms", "kernel ms", "nn.LSTM ms",
            "readable / nn", "fast / nn", "kernel / nn", "kernel / nn, middle half of rounds", "target fast / nn", $"target kernel / nn",
            "GFLOP", "fast GFLOP/s", "kernel GFLOP/s", "nn.LSTM GFLOP/s", "kernel % of peak", "nn.LSTM % of peak");
        foreach (var s in sizes)
        {
            times.Add(s.Hidden.ToString(CultureInfo.InvariantCulture), "train", F(s.ReadableTrainMs), F(s.FastTrainMs), F(s.KernelTrainMs), F(s.TorchTrainMs),
                R(s.ReadableTrainRatio), R(s.FastTrainRatio), R(s.KernelTrainRatio), Quartiles.Text(s.KernelTrainRatioQuartiles),
                Target(s.FastTrainRatio, TrainTarget(s.Hidden)), Target(s.KernelTrainRatio, KernelTrainTarget), F(s.TrainGflop),
                G(s.TrainGflop, s.FastTrainMs), G(s.TrainGflop, s.KernelTrainMs), G(s.TrainGflop, s.TorchTrainMs),
                peak.PercentOf(s.TrainGflop / s.KernelTrainMs * 1e3), peak.PercentOf(s.TrainGflop / s.TorchTrainMs * 1e3));
            times.Add(s.Hidden.ToString(CultureInfo.InvariantCulture), "infer", F(s.ReadableInferMs), F(s.FastInferMs), F(s.KernelInferMs), F(s.TorchInferMs),
                R(s.ReadableInferRatio), R(s.FastInferRatio), R(s.KernelInferRatio), Quartiles.Text(s.KernelInferRatioQuartiles),
                Target(s.FastInferRatio, InferTarget), Target(s.KernelInferRatio, KernelInferTarget), F(s.InferGflop),
                G(s.InferGflop, s.FastInferMs), G(s.InferGflop, s.KernelInferMs), G(s.InferGflop, s.TorchInferMs),
                peak.PercentOf(s.InferGflop / s.KernelInferMs * 1e3), peak.PercentOf(s.InferGflop / s.TorchInferMs * 1e3));
        }

        var gemms = new MarkdownTable("hidden", $"small GEMM {o.Batch}×H·H×4H GFLOP/s", "kernel forward step GFLOP/s", "large GEMM 2048³ GFLOP/s",
            "fast train GEMM floor ms", "fast train ms", "fast infer GEMM floor ms", "fast infer ms");
        foreach (var s in sizes)
            gemms.Add(s.Hidden.ToString(CultureInfo.InvariantCulture), F(s.SmallGemmGflops), double.IsNaN(s.KernelStepGflops) ? "n/a" : F(s.KernelStepGflops), F(largeGemm),
                F(s.FastTrainGemmFloorMs), F(s.FastTrainMs), F(s.FastInferGemmFloorMs), F(s.FastInferMs));

        var mem = new MarkdownTable("fast-path training steps", "hidden", "live tensors before", "live tensors after",
            "RSS before MiB", "RSS after the first tenth MiB", "RSS after MiB", "RSS growth over the last nine tenths MiB", "peak RSS MiB");
        mem.Add(memory.Steps.ToString(CultureInfo.InvariantCulture), memory.Hidden.ToString(CultureInfo.InvariantCulture),
            memory.LiveTensorsBefore.ToString(CultureInfo.InvariantCulture), memory.LiveTensorsAfter.ToString(CultureInfo.InvariantCulture),
            F(memory.RssBeforeMiB), F(memory.RssAfterTenthMiB), F(memory.RssAfterMiB), F(memory.RssAfterMiB - memory.RssAfterTenthMiB), F(memory.PeakRssMiB));


        var splits = new MarkdownTable("hidden", "batch", "split chosen", "forward rows ms", "forward units ms", "forward rows / units",
            "backward rows ms", "backward units ms", "backward rows / units", "the choice was faster");
        var settings = new MarkdownTable("hidden", "batch", "setting", "A", "B", "forward A ms", "forward B ms", "forward B / A",
            "forward B GFLOP/s", "backward A ms", "backward B ms", "backward B / A", "pairs", "same results bit for bit");
        foreach (var k in sizes.Select(s => s.Kernel).OfType<KernelSettingsResult>())
        {
            var p = k.Split.Pair;
            splits.Add(p.Hidden.ToString(CultureInfo.InvariantCulture), p.Batch.ToString(CultureInfo.InvariantCulture), k.Split.RowsChosen ? "rows" : "units",
                F(p.ForwardBMs), F(p.ForwardAMs), R(p.ForwardRatio), F(p.BackwardBMs), F(p.BackwardAMs), R(p.BackwardRatio),
                k.Split.ChoiceHolds ? "yes" : "NO");
            foreach (var ab in k.Settings)
                settings.Add(ab.Hidden.ToString(CultureInfo.InvariantCulture), ab.Batch.ToString(CultureInfo.InvariantCulture), ab.Setting, ab.A, ab.B,
                    F(ab.ForwardAMs), F(ab.ForwardBMs), R(ab.ForwardRatio), F(ab.ForwardGflops(ab.ForwardBMs)),
                    F(ab.BackwardAMs), F(ab.BackwardBMs), R(ab.BackwardRatio), ab.Pairs.ToString(CultureInfo.InvariantCulture), ab.SameResults ? "yes" : "NO");
        }

        var layerGemms = new MarkdownTable("hidden", "product", "shape", "GFLOP", "1 thread ms", "all threads ms", "speed-up", "GFLOP/s", "% of peak");
        foreach (var g in sizes.SelectMany(s => s.LayerGemms))
            layerGemms.Add(g.Hidden.ToString(CultureInfo.InvariantCulture), g.Product, g.Shape, F(g.Gflop), F(g.OneThreadMs),
                $"{F(g.AllThreadsMs)} ({g.Threads})", F(g.SpeedUp), F(g.Gflops), peak.PercentOf(g.Gflops));

        var oneStep = new MarkdownTable("hidden", "batch", "one-step call: auto µs", "fast µs", "nn.LSTM µs", "auto / nn", "fast / nn");
        foreach (var k in sizes.Select(s => s.OneStep))
            oneStep.Add(k.Hidden.ToString(CultureInfo.InvariantCulture), OneStepBenchmark.Batch.ToString(CultureInfo.InvariantCulture),
                F(k.AutoUs), F(k.FastUs), F(k.TorchUs), R(k.AutoRatio), R(k.FastRatio));

        var text = new StringBuilder()
            .Append(times).AppendLine()
            .Append(gemms).AppendLine()
            .Append(layerGemms).AppendLine()
            .Append(mem);
        if (sizes.Any(s => s.Kernel is not null))
            text.AppendLine().Append(splits).AppendLine().Append(settings);
        return text.AppendLine().Append(oneStep).ToString();
    }

    public static string Markdown(LstmBenchmarkOptions o, LstmBenchmarkResult result, string tables, MachineInfo machine, string date) => new StringBuilder()
        .AppendLine("# LSTM benchmark: readable Lstm, fast Lstm, fast Lstm with the step kernel, nn.LSTM")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Command: `{o.CommandLine}` · {date} · {machine}")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Run: {result.Verdict.Summary}.")
        .AppendLine(CultureInfo.InvariantCulture, $"Peak: {result.Peak.Formula}.")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture,
            $"{o.Layers} layers, input size = hidden size, batch {o.Batch}, sequence {o.Seq}, {o.DtypeName}. Train = forward + backward of the sum of the outputs (input requires grad); infer = forward under no_grad.")
        .AppendLine(CultureInfo.InvariantCulture,
            $"Times are medians of {o.Repeats} repeats after at least {o.Warmup} warm-up steps and {o.WarmupSeconds} s of them per implementation (so that .NET has compiled the C# paths optimised), in one process; in each repeat the four run back to back {TurnOrder.Described("repeat")}, each timed step right after an untimed one of its own, and each ratio is the median of the per-repeat ratios; \"middle half of rounds\" gives the first and third quartiles of the kernel's.")
        .AppendLine(CultureInfo.InvariantCulture,
            $"Fast = backend fast (`LstmOpsLayerFunction`, step loops in libtorch ops); kernel = backend auto, i.e. kernel (`LstmKernelLayerFunction`, the loops in `LstmStepKernel` ({(LstmStepKernel.IsSupported ? $"{LstmStepKernel.VectorWidth}-bit, {LstmStepKernel.InstructionSet}" : "NOT supported on this CPU")}; float32 on the CPU only; the training default; fast where it does not apply), its blocks run on {(OpenMpTeam.IsAvailable ? "libtorch's own OpenMP threads" : ".NET pool threads (no libgomp found)")}.")
        .AppendLine("GFLOP counts only the GEMMs: forward 2·T·B·4H·(in+H) per layer, training 3× forward. The GEMM floor is the fast path's time if its per-step recurrent products ran at the small-GEMM rate, all other GEMMs at the large-GEMM rate and nothing else cost anything.")
        .AppendLine(CultureInfo.InvariantCulture,
            $"The layer-GEMM table times libtorch's products in one layer call of the kernel backend (T·B = {o.Seq * o.Batch} rows, input size = hidden size) on one thread and on all of libtorch's, in {(4 * o.Repeats) + 1} interleaved pairs, medians; a training call runs x·W_ihᵀ and dA·W_ih once each and the dAᵀ·X shape twice (dW_ih and dW_hh). GFLOP/s and % of peak are those of all threads.")
        .AppendLine(CultureInfo.InvariantCulture,
            $"The split table times the step kernel's two ways to share a layer between threads (docs/step-kernel.md): batch rows (no barrier per step; every thread reads all of W_hh) and hidden units (a barrier per step), forward steps with W_hh packed beforehand and backward steps with their pack, in {(2 * o.Repeats) + 1} adjacent pairs whose order alternates; each ratio is the median of the pairs'. \"split chosen\" is the one `LstmStepKernel.SplitsRows` takes at that size (rows while the packed W_hh fits in 3/4 of the {CoreCache.L2Bytes / 1024} KB L2 and each thread has 4 rows or more).")
        .AppendLine(CultureInfo.InvariantCulture,
            $"The settings table times more of the kernel's choices the same way, in the split that size runs with, in at least {(2 * o.Repeats) + 1} pairs and {(KernelSettingsBenchmark.SecondsPerRepeat * o.Repeats).ToString("0.#", CultureInfo.InvariantCulture)} s: the k-chunk of the packed W_hh that every row group of a block reads before the next (the default, a quarter of the L2, against the L1-sized {KernelSettingsBenchmark.L1ChunkBytes >> 10} KB it was), the threads (one against all of libtorch's, as column B says) and, where the units split runs, how its threads share a step's blocks (each its own share only, against taking another's unstarted blocks once done); B / A is a ratio of times, and \"same results\" says whether the outputs and dA were equal bit for bit.")
        .AppendLine(CultureInfo.InvariantCulture,
            $"The one-step table times a sampler's calls: the {o.Layers}-layer stack on one step of batch {OneStepBenchmark.Batch}, the state each call returns passed to the next, under no_grad, {OneStepBenchmark.CallsPerRepeat} calls per repeat, each in turn in every repeat, in the same changing order and after an untimed repeat of its own; µs per call. Backend auto runs a one-step call in libtorch ops (packing W_hh for the kernel would cost more than the step).")
        .AppendLine()
        .Append(tables)
        .AppendLine()
        .AppendLine(DisturbanceVerdict.HowToRead)
        .AppendLine()
        .AppendLine("Written by the command, not by hand; the machine may be shared, so compare ratios from one run rather than times across runs.")
        .ToString();

    public static string Json(LstmBenchmarkOptions o, LstmBenchmarkResult result,
        MachineInfo machine, string date) => JsonSerializer.Serialize(new
        {
            date,
            machine,
            command = o.CommandLine,
            contended = result.Verdict.Contended,
            disturbance = result.Verdict.Json,
            peak = new { gflops = double.IsNaN(result.Peak.Gflops) ? (double?)null : result.Peak.Gflops, formula = result.Peak.Formula },
            config = new { hidden = o.HiddenSizes, layers = o.Layers, batch = o.Batch, seq = o.Seq, dtype = o.DtypeName, device = o.Device.ToString(), repeats = o.Repeats, warmup = o.Warmup, warmup_seconds = o.WarmupSeconds },
            ratio_definition = "x_train_ratio = median over repeats of (x's training-step ms / nn.LSTM's training-step ms, measured back to back); x_infer_ratio the same for no_grad forward. Below 1 is faster than nn.LSTM.",
            step_kernel_supported = LstmStepKernel.IsSupported,
            step_kernel_vector_bits = LstmStepKernel.VectorWidth,
            step_kernel_threads = OpenMpTeam.IsAvailable ? "libgomp" : "dotnet_pool",
            large_gemm_2048_gflops = result.LargeGemmGflops,
            sizes = result.Sizes.Select(s => new
            {
                hidden = s.Hidden,
                fast_train_ratio = s.FastTrainRatio,
                kernel_train_ratio = s.KernelTrainRatio,
                kernel_train_ratio_quartiles = new[] { s.KernelTrainRatioQuartiles.Low, s.KernelTrainRatioQuartiles.High },
                readable_train_ratio = s.ReadableTrainRatio,
                fast_infer_ratio = s.FastInferRatio,
                kernel_infer_ratio = s.KernelInferRatio,
                kernel_infer_ratio_quartiles = new[] { s.KernelInferRatioQuartiles.Low, s.KernelInferRatioQuartiles.High },
                readable_infer_ratio = s.ReadableInferRatio,
                fast_train_target = TrainTarget(s.Hidden),
                fast_infer_target = InferTarget,
                kernel_train_target = KernelTrainTarget,
                kernel_infer_target = KernelInferTarget,
                fast_train_meets_target = s.FastTrainRatio <= TrainTarget(s.Hidden),
                fast_infer_meets_target = s.FastInferRatio <= InferTarget,
                kernel_train_meets_target = s.KernelTrainRatio <= KernelTrainTarget,
                kernel_infer_meets_target = s.KernelInferRatio <= KernelInferTarget,
                readable_train_ms = s.ReadableTrainMs,
                fast_train_ms = s.FastTrainMs,
                kernel_train_ms = s.KernelTrainMs,
                nn_lstm_train_ms = s.TorchTrainMs,
                readable_infer_ms = s.ReadableInferMs,
                fast_infer_ms = s.FastInferMs,
                kernel_infer_ms = s.KernelInferMs,
                nn_lstm_infer_ms = s.TorchInferMs,
                train_gflop = s.TrainGflop,
                infer_gflop = s.InferGflop,
                readable_train_gflops = s.TrainGflop / s.ReadableTrainMs * 1e3,
                fast_train_gflops = s.TrainGflop / s.FastTrainMs * 1e3,
                kernel_train_gflops = s.TrainGflop / s.KernelTrainMs * 1e3,
                nn_lstm_train_gflops = s.TrainGflop / s.TorchTrainMs * 1e3,
                readable_infer_gflops = s.InferGflop / s.ReadableInferMs * 1e3,
                fast_infer_gflops = s.InferGflop / s.FastInferMs * 1e3,
                kernel_infer_gflops = s.InferGflop / s.KernelInferMs * 1e3,
                nn_lstm_infer_gflops = s.InferGflop / s.TorchInferMs * 1e3,
                small_gemm_gflops = s.SmallGemmGflops,
                kernel_forward_step_gflops = double.IsNaN(s.KernelStepGflops) ? (double?)null : s.KernelStepGflops,
                fast_train_gemm_floor_ms = s.FastTrainGemmFloorMs,
                fast_infer_gemm_floor_ms = s.FastInferGemmFloorMs,
                kernel_split = s.Kernel?.Split is not { } k ? null : new
                {
                    batch = k.Pair.Batch,
                    chosen = k.RowsChosen ? "rows" : "units",
                    forward_rows_ms = k.Pair.ForwardBMs,
                    forward_units_ms = k.Pair.ForwardAMs,
                    forward_rows_to_units = k.Pair.ForwardRatio,
                    backward_rows_ms = k.Pair.BackwardBMs,
                    backward_units_ms = k.Pair.BackwardAMs,
                    backward_rows_to_units = k.Pair.BackwardRatio,
                    choice_was_faster = k.ChoiceHolds,
                },
                layer_gemms = s.LayerGemms.Select(g => new
                {
                    product = g.Product,
                    shape = g.Shape,
                    gflop = g.Gflop,
                    one_thread_ms = g.OneThreadMs,
                    all_threads_ms = g.AllThreadsMs,
                    threads = g.Threads,
                    gflops = g.Gflops,
                }).ToArray(),
                kernel_settings = s.Kernel is not { } kernel ? null : kernel.Settings.Select(ab => new
                {
                    setting = ab.Setting,
                    a = ab.A,
                    b = ab.B,
                    forward_a_ms = ab.ForwardAMs,
                    forward_b_ms = ab.ForwardBMs,
                    forward_b_to_a = ab.ForwardRatio,
                    backward_a_ms = ab.BackwardAMs,
                    backward_b_ms = ab.BackwardBMs,
                    backward_b_to_a = ab.BackwardRatio,
                    pairs = ab.Pairs,
                    same_results = ab.SameResults,
                }).ToArray(),
                one_step = new
                {
                    batch = OneStepBenchmark.Batch,
                    calls_per_repeat = OneStepBenchmark.CallsPerRepeat,
                    auto_us = s.OneStep.AutoUs,
                    fast_us = s.OneStep.FastUs,
                    nn_lstm_us = s.OneStep.TorchUs,
                    auto_to_nn_lstm = s.OneStep.AutoRatio,
                    fast_to_nn_lstm = s.OneStep.FastRatio,
                },
            }),
            memory = new
            {
                fast_training_steps = result.Memory.Steps,
                hidden = result.Memory.Hidden,
                live_tensors_before = result.Memory.LiveTensorsBefore,
                live_tensors_after = result.Memory.LiveTensorsAfter,
                rss_before_mib = result.Memory.RssBeforeMiB,
                rss_after_first_tenth_mib = result.Memory.RssAfterTenthMiB,
                rss_after_mib = result.Memory.RssAfterMiB,
                rss_growth_last_nine_tenths_mib = result.Memory.RssAfterMiB - result.Memory.RssAfterTenthMiB,
                peak_rss_mib = result.Memory.PeakRssMiB,
            },
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string F(double v) => v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static string G(double gflop, double ms) => (gflop / ms * 1e3).ToString("F0", CultureInfo.InvariantCulture);

    private static string Target(double ratio, double target)
        => $"≤ {target.ToString("0.0#", CultureInfo.InvariantCulture)} {(ratio <= target ? "met" : "MISSED")}";
}
