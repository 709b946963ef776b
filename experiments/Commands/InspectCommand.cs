using System.CommandLine;
using Research.Experiments.Cli;
using Research.Experiments.Logging;
using Research.Experiments.Runs;
using Research.Experiments.Tasks;
using Research.Models.Language;
using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Commands;

/// <summary>
/// `research inspect RUN --text "..."`: runs a text through a trained language model with an <see cref="LstmTrace"/>
/// and writes, under RUN/inspect, the gate saturation scatter and table (Karpathy et al. 2015, Fig. 3) and a heat
/// map of the cell activations over the text's tokens. A model trained with another backend is inspected through a
/// readable copy with its weights (same parameter names, same results): only readable computes the gates step by step.
/// </summary>
public static class InspectCommand
{
    private static readonly Argument<string> RunPath = TypedOptions.One("RUN", "a language model's run folder");
    private static readonly Option<string?> Text = TypedOptions.Text("--text", "text to run through the model (words, or characters for character models)");
    private static readonly Option<int> Layer = TypedOptions.Int("--layer", "layer whose cells the heat map shows (-1: the last)", -1, min: -1);
    private static readonly Option<int> FirstUnit = TypedOptions.Int("--first-unit", "first unit of the heat map", 0, min: 0);
    private static readonly Option<int> Units = TypedOptions.Int("--units", "units in the heat map", 32, min: 1);

    public static Command Create() => Verb.Create("inspect", "gate saturation and cell activations of a trained language model over a text", Run,
        RunPath, Text, Layer, FirstUnit, Units);

    private static int Run(ParseResult args, CommandContext io)
    {
        var run = RunFolder.Open(args.GetValue(RunPath)!);
        var text = args.GetValue(Text);
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException("--text is empty: give the text to inspect");
        var (settings, vocabulary, options, trained, device, dtype) = TrainedLanguageModel.Load(run);
        var model = ExplicitCopy(trained, options, device, dtype);
        var lstm = model.Recurrence;

        var charLevel = ExperimentBuilder.IsCharLevel(settings.Data);
        var ids = GenerateCommand.Encode(text, vocabulary, charLevel, "--text");
        var tokens = ids.Select(id => vocabulary[(int)id]).ToArray();
        var layer = args.GetValue(Layer);
        if (layer > lstm.NumLayers - 1)
            throw new UsageException($"--layer must be between -1 and {lstm.NumLayers - 1}, got {layer}");
        if (layer < 0)
            layer = (int)lstm.NumLayers - 1;
        var firstUnit = args.GetValue(FirstUnit);
        if (firstUnit > lstm.HiddenSize - 1)
            throw new UsageException($"--first-unit must be between 0 and {lstm.HiddenSize - 1}, got {firstUnit}");
        var units = Math.Min(args.GetValue(Units), (int)lstm.HiddenSize - firstUnit);

        lstm.Trace = new LstmTrace();
        model.eval();
        using (no_grad())
        using (var input = tensor(ids.ToArray(), dtype: ScalarType.Int64, device: device).unsqueeze(1))
            model.call(input);
        var saturation = GateSaturation.Of(lstm.Trace);

        var dir = run.Combine("inspect");
        Directory.CreateDirectory(dir);
        GateSaturationPlot.Write(saturation, Path.Combine(dir, "saturation.png"));
        var cells = lstm.Trace.Layers.First(l => l.Layer == layer && !l.Reverse).C;
        CellActivationHeatmap.Write(cells.select(1, 0).narrow(1, firstUnit, units), tokens, firstUnit, layer, Path.Combine(dir, "cell-heatmap.png"));
        var table = GateSaturationTable.Markdown(saturation, tokens.Length);
        File.WriteAllText(Path.Combine(dir, "saturation.md"), table);
        File.WriteAllText(Path.Combine(dir, "saturation.csv"), GateSaturationTable.PerUnitCsv(saturation));
        io.Out.Write(table);
        io.Out.WriteLine($"wrote {Path.Combine(dir, "saturation.png")}, cell-heatmap.png, saturation.md, saturation.csv");
        return 0;
    }

    // Only the readable backend computes the gates step by step: the same model built readable, with the same weights.
    private static LanguageModel ExplicitCopy(LanguageModel trained, LanguageModelOptions options, Device device, ScalarType dtype)
    {
        if (trained.Recurrence.Backend.Kind == RecurrentBackendKind.Readable)
            return trained;
        var copy = new LanguageModel(options with { Recurrence = options.Recurrence with { Backend = RecurrentBackendKind.Readable } }, device, dtype);
        ParameterTransfer.Copy(trained, copy);
        return copy;
    }
}
