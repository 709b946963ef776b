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
public sealed class InspectCommand : ICommand
{
    public string Name => "inspect";

    public string Summary => "gate saturation and cell activations of a trained language model over a text";

    public string Usage => "RUN --text TEXT [options]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("text", "text to run through the model (words, or characters for character models)", null),
        new("layer", "layer whose cells the heat map shows (-1: the last)", "-1"),
        new("first-unit", "first unit of the heat map", "0"),
        new("units", "units in the heat map", "32"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        var run = args.Positional.Count == 1 ? RunFolder.Open(args.Positional[0]) : throw new UsageException("give one run folder");
        var text = args.OptionalString("text");
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException("--text is empty: give the text to inspect");
        var (settings, vocabulary, options, trained, device, dtype) = TrainedLanguageModel.Load(run);
        var model = ExplicitCopy(trained, options, device, dtype);
        var lstm = model.Recurrence;

        var charLevel = ExperimentBuilder.IsCharLevel(settings.Data);
        var ids = GenerateCommand.Encode(text, vocabulary, charLevel, "--text");
        var tokens = ids.Select(id => vocabulary[(int)id]).ToArray();
        var layer = args.Int("layer", min: -1, max: (int)lstm.NumLayers - 1);
        if (layer < 0)
            layer = (int)lstm.NumLayers - 1;
        var firstUnit = args.Int("first-unit", min: 0, max: (int)lstm.HiddenSize - 1);
        var units = Math.Min(args.Int("units", min: 1), (int)lstm.HiddenSize - firstUnit);

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
        stdout.Write(table);
        stdout.WriteLine($"wrote {Path.Combine(dir, "saturation.png")}, cell-heatmap.png, saturation.md, saturation.csv");
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
