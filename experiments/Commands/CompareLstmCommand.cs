using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Experiments.Cli;
using Research.Experiments.Reporting;
using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Commands;

/// <summary>
/// `research compare-lstm`: the readable LSTM stack against nn.LSTM with weights copied both ways; prints every
/// difference and the forward+backward time of each. Exit 1 if any difference exceeds the dtype's tolerance.
/// </summary>
public static class CompareLstmCommand
{
    private static readonly Option<int> Hidden = TypedOptions.Int("--hidden", "hidden size H", 200, min: 1);
    private static readonly Option<int?> Input = TypedOptions.OptionalInt("--input", "input size (default: the hidden size)", min: 1);
    private static readonly Option<int> Layers = TypedOptions.Int("--layers", "number of layers", 2, min: 1);
    private static readonly Option<int> Seq = TypedOptions.Int("--seq", "sequence length T", 35, min: 1);
    private static readonly Option<int> Batch = TypedOptions.Int("--batch", "batch size B", 20, min: 1);
    private static readonly Option<string> Dtype = TypedOptions.Text("--dtype", "float32 or float64", "float32");
    private static readonly Option<string> DeviceName = TypedOptions.Text("--device", "cpu, cuda or cuda:N", "cpu");
    private static readonly Option<bool> BatchFirst = TypedOptions.Flag("--batch-first", "input laid out [B, T, in]");
    private static readonly Option<int> Repeats = TypedOptions.Int("--repeats", "timed repeats (the median is reported)", 20, min: 1);
    private static readonly Option<int> Warmup = TypedOptions.Int("--warmup", "untimed repeats before timing", 3, min: 0);
    private static readonly Option<int> Seed = TypedOptions.Int("--seed", "random seed", 0, min: 0);
    private static readonly Option<string?> Json = TypedOptions.Text("--json", "also write the results to this JSON file");

    public static Command Create() => Verb.Create("compare-lstm", "check the explicit LSTM against nn.LSTM (outputs, gradients, speed)", Run,
        Hidden, Input, Layers, Seq, Batch, Dtype, DeviceName, BatchFirst, Repeats, Warmup, Seed, Json);

    private static int Run(ParseResult args, CommandContext io)
    {
        var stdout = io.Out;
        var hidden = args.GetValue(Hidden);
        var input = args.GetValue(Input) ?? hidden;
        var layers = args.GetValue(Layers);
        var seq = args.GetValue(Seq);
        var batch = args.GetValue(Batch);
        var batchFirst = args.GetValue(BatchFirst);
        var repeats = args.GetValue(Repeats);
        var warmup = args.GetValue(Warmup);
        var seed = args.GetValue(Seed);
        var jsonPath = args.GetValue(Json);
        var dtype = Parse(() => TensorOptions.ParseDtype(args.GetValue(Dtype)!));
        TorchRuntime.EnsureLoaded();
        var device = Parse(() => TensorOptions.ParseDevice(args.GetValue(DeviceName)!));

        manual_seed(seed);
        var ours = RecurrentStack.Lstm(input, hidden, layers, batchFirst: batchFirst, device: device, dtype: dtype, backend: RecurrentBackendKind.Readable);
        var reference = LstmParity.ReferenceFor(ours, device, dtype);
        long[] inputShape = batchFirst ? [batch, seq, input] : [seq, batch, input];
        var x = randn(inputShape, dtype: dtype, device: device);
        var state = new RecurrentState(randn([layers, batch, hidden], dtype: dtype, device: device), randn([layers, batch, hidden], dtype: dtype, device: device));

        ParameterTransfer.Copy(ours, reference);
        var toReference = LstmParity.Compare(ours, reference, x, state);
        using (no_grad())
            foreach (var (_, p) in reference.named_parameters())
                nn.init.uniform_(p, -1.0 / Math.Sqrt(hidden), 1.0 / Math.Sqrt(hidden));
        ParameterTransfer.Copy(reference, ours);
        var fromReference = LstmParity.Compare(ours, reference, x, state);

        var explicitMs = StepTimer.MedianMilliseconds(() => TrainStep(ours.call(x, state).output), warmup, repeats, device);
        var referenceMs = StepTimer.MedianMilliseconds(() => TrainStep(reference.call(x, (state.H, state.C!)).Item1), warmup, repeats, device);

        var machine = MachineInfo.Current(device.ToString());
        stdout.WriteLine($"compare-lstm: hidden {hidden}, input {input}, layers {layers}, seq {seq}, batch {batch}, {dtype.ToString().ToLowerInvariant()}, batch-first {batchFirst}, {machine}");
        stdout.WriteLine();
        stdout.Write(ParityTable(toReference, fromReference));
        stdout.WriteLine();
        stdout.Write(new MarkdownTable("implementation", "forward+backward ms (median)", "ratio to nn.LSTM")
            .Add("explicit Lstm", Ms(explicitMs), (explicitMs / referenceMs).ToString("F2", CultureInfo.InvariantCulture))
            .Add("nn.LSTM", Ms(referenceMs), "1.00"));
        stdout.WriteLine($"timing: median of {repeats} after {warmup} warm-up, same process");

        var passed = toReference.Passed && fromReference.Passed;
        var worst = Math.Max(toReference.WorstRel, fromReference.WorstRel);
        stdout.WriteLine(passed
            ? $"parity: PASS (worst relative difference {E(worst)} <= {E(toReference.Tolerance)})"
            : $"parity: FAIL (worst relative difference {E(worst)} > {E(toReference.Tolerance)})");

        if (jsonPath is not null)
            WriteJson(stdout, jsonPath, new
            {
                config = new { hidden, input, layers, seq, batch, dtype = dtype.ToString(), device = device.ToString(), batch_first = batchFirst, repeats, warmup, seed },
                tolerance = toReference.Tolerance,
                passed,
                parity_weights_explicit_to_torch = toReference.Rows,
                parity_weights_torch_to_explicit = fromReference.Rows,
                explicit_train_step_ms = explicitMs,
                torch_train_step_ms = referenceMs,
                explicit_to_torch_train_ratio = explicitMs / referenceMs,
                machine,
                date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        return passed ? 0 : 1;
    }

    private static void TrainStep(Tensor output)
    {
        using var scope = NewDisposeScope();
        Backpropagation.Run(output.sum()); // as the trainer's backward
    }

    private static string ParityTable(ParityReport to, ParityReport from)
    {
        var table = new MarkdownTable("quantity", "max abs (ours→nn)", "max rel (ours→nn)", "max abs (nn→ours)", "max rel (nn→ours)");
        foreach (var (a, b) in to.Rows.Zip(from.Rows))
            table.Add(a.Quantity, E(a.MaxAbs), E(a.MaxRel), E(b.MaxAbs), E(b.MaxRel));
        return table.ToString();
    }

    private static void WriteJson(TextWriter stdout, string path, object value)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(value, JsonOptions));
        File.Move(tmp, full, overwrite: true);
        stdout.WriteLine($"wrote {path}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string E(double v) => v.ToString("0.00E+00", CultureInfo.InvariantCulture);

    private static string Ms(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
