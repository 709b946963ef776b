using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Config;
using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;

namespace Research.Experiments.Tests.Settings;

/// <summary>model.cell and the regulariser keys: how they bind and which combinations a config may not ask for.</summary>
public sealed class ModelSettingsTests
{
    private const string Yaml = "task: music\ndata: {name: jsb_chorales}\nmodel: {layers: 2, dropout: 0.3}\n";

    private static ExperimentSettings Load(params string[] overrides)
        => ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, overrides, "jsb.yaml").Value;

    private static ForecasterSettings Forecaster(params string[] overrides) =>
        Assert.IsType<ForecasterSettings>(Load(["task=forecast", .. overrides]).Model);

    private static string Error(params string[] overrides)
        => ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, overrides, "jsb.yaml"));

    [Theory]
    [InlineData("lstm", RecurrentCellKind.Lstm)]
    [InlineData("gru", RecurrentCellKind.Gru)]
    [InlineData("rnn_tanh", RecurrentCellKind.RnnTanh)]
    [InlineData("rnn_relu", RecurrentCellKind.RnnRelu)]
    public void CellNamesAreSnakeCase(string value, RecurrentCellKind cell)
    {
        Assert.Equal(cell, Load($"model.cell={value}").Model.Cell);
    }

    [Fact]
    public void RegularisersReachTheRecurrentStackOptions()
    {
        var m = Load("model.cell=gru", "model.locked_dropout=true", "model.weight_drop=0.25", "model.backend=readable").Model;
        Assert.Equal(new RecurrentStackOptions(RecurrentCellKind.Gru, RecurrentBackendKind.Readable, LockedDropout: true, WeightDrop: 0.25),
            m.Recurrence());
    }

    [Theory]
    [InlineData("model.cell=rnn", "override model.cell=rnn: expected one of lstm, gru, rnn_tanh, rnn_relu, got 'rnn'")]
    [InlineData("model.weight_drop=1", "override model.weight_drop=1: must be at least 0 and less than 1, got 1")]
    [InlineData("model.embedding_dropout=0.1", "override model.embedding_dropout=0.1: unknown key (belongs to task language_model)")]
    [InlineData("model.input=one_hot", "override model.input=one_hot: unknown key (belongs to task language_model)")]
    [InlineData("data.windows.length=40", "override data.windows.length=40: data.windows: unknown key (belongs to task language_model)")]
    [InlineData("model.strategy=direct", "override model.strategy=direct: unknown key (belongs to task forecast)")]
    public void BadValuesNameTheKey(string setting, string message)
    {
        Assert.Contains(message, Error(setting), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "model.cell=gru", "model.backend=torch", "model.weight_drop=0.2" }, "override model.weight_drop=0.2: not available with backend torch")]
    [InlineData(new[] { "model.backend=torch", "model.locked_dropout=true" }, "override model.locked_dropout=true: with 2 layers and dropout needs a locked between-layer mask")]
    [InlineData(new[] { "model.cell=gru", "model.backend=fast" }, "override model.backend=fast: fast is an LSTM backend; the Gru cell runs readable or torch")]
    [InlineData(new[] { "model.cell=rnn_tanh", "model.backend=kernel" }, "override model.backend=kernel: kernel is an LSTM backend; the RnnTanh cell runs readable or torch")]
    [InlineData(new[] { "model.variant.peephole=true", "model.backend=kernel" }, "override model.backend=kernel: the variant peephole changes the LSTM step, which only readable runs")]
    [InlineData(new[] { "model.variant.layer_norm=true", "model.backend=fast" }, "override model.backend=fast: the variant layer-norm changes the LSTM step, which only readable runs")]
    public void CombinationsTheBackendCannotDoAreConfigErrors(string[] settings, string message)
    {
        Assert.Contains(message, Error(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void LockedDropoutWithOneLayerIsFineForEveryBackend()
    {
        Assert.True(Load("model.layers=1", "model.backend=torch", "model.locked_dropout=true").Model.LockedDropout);
    }

    [Fact]
    public void BackendIsAutoByDefaultAndEveryNameReachesTheStack()
    {
        Assert.Equal(RecurrentBackendKind.Auto, Load().Model.Recurrence().Backend);
        foreach (var (name, kind) in new[] { ("readable", RecurrentBackendKind.Readable), ("fast", RecurrentBackendKind.Fast), ("kernel", RecurrentBackendKind.Kernel), ("torch", RecurrentBackendKind.Torch) })
            Assert.Equal(kind, Load($"model.backend={name}").Model.Recurrence().Backend);
        Assert.Contains("override model.backend=cudnn: expected one of auto, readable, fast, kernel, torch", Error("model.backend=cudnn"), StringComparison.Ordinal);
    }

    [Fact]
    public void KernelOnFloat64IsAConfigErrorBeforeAnyDataLoads()
    {
        Assert.Equal(LstmStepKernel.IsSupported
            ? "override model.backend=kernel: the step kernel computes in float32, not Float64"
            : "override model.backend=kernel: this CPU lacks AVX2/FMA for the step kernel (model.backend kernel, model.cell lstm)",
            Error("dtype=float64", "model.backend=kernel"));
        Assert.Equal(RecurrentBackendKind.Auto, Load("dtype=float64").Model.Backend);
    }

    [Theory]
    [InlineData("model.core=torch")]
    [InlineData("model.implementation=readable")]
    [InlineData("model.step_kernel=false")]
    public void TheReplacedKeysNameModelBackend(string setting)
    {
        Assert.Equal($"override {setting}: replaced by model.backend: auto | readable | fast | kernel | torch (docs/experiments.md)", Error(setting));
        var (key, value) = (setting[6..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var inFile = ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>($"task: music\ndata: {{name: jsb_chorales}}\nmodel:\n  {key}: {value}\n", [], "jsb.yaml"));
        Assert.Equal($"jsb.yaml:4: model.{key}: replaced by model.backend: auto | readable | fast | kernel | torch (docs/experiments.md)", inFile);
    }

    [Theory]
    [InlineData("core: torch\n  implementation: fast\n  step_kernel: true", "", RecurrentBackendKind.Torch)]
    [InlineData("core: lstm\n  implementation: readable\n  step_kernel: true", "", RecurrentBackendKind.Readable)]
    [InlineData("core: lstm\n  implementation: fast\n  step_kernel: true", "", RecurrentBackendKind.Auto)]
    [InlineData("core: lstm\n  implementation: fast\n  step_kernel: false", "", RecurrentBackendKind.Fast)]
    [InlineData("core: lstm\n  implementation: fast\n  step_kernel: false", "\n  variant:\n    peephole: true", RecurrentBackendKind.Readable)]
    public void ARunSavedBeforeTheRenameLoadsWithTheBackendThatComputesTheSame(string legacy, string variant, RecurrentBackendKind expected)
    {
        var dir = Directory.CreateTempSubdirectory("research-legacy").FullName;
        try
        {
            var path = Path.Combine(dir, "config.yaml");
            File.WriteAllText(path, $"task: music\ndata:\n  name: jsb_chorales\nmodel:\n  {legacy}{variant}\n");
            Assert.Equal(expected, ConfigLoader.LoadRun<ExperimentSettings>(path).Value.Model.Backend);
            Assert.Contains("replaced by model.backend", ConfigError.Of(() => ConfigLoader.Load<ExperimentSettings>(path)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("none", WindowNormalization.None)]
    [InlineData("last", WindowNormalization.Last)]
    [InlineData("rev_in", WindowNormalization.RevIn)]
    public void WindowNormNamesAreSnakeCase(string value, WindowNormalization expected)
    {
        Assert.Equal(WindowNormalization.None, Forecaster().WindowNorm);
        Assert.Equal(expected, Forecaster($"model.window_norm={value}").WindowNorm);
        Assert.Contains("window_norm", Error("task=forecast", "model.window_norm=mean"), StringComparison.Ordinal);
    }

    [Fact]
    public void VariantKeysReachTheRecurrentCoreOptions()
    {
        var m = Load("model.variant.peephole=true", "model.variant.forget_bias=1", "model.variant.projection_size=50").Model;
        Assert.Equal(LstmVariant.Standard with { Peephole = true, ForgetBias = 1.0, ProjectionSize = 50 }, m.Recurrence().Variant);
        Assert.Equal(LstmVariant.Standard, Load().Model.Recurrence().LstmVariant);
    }

    [Theory]
    [InlineData(new[] { "model.variant.peep=true" }, "model.variant.peep")]
    [InlineData(new[] { "model.variant.projection_size=200" }, "override model.variant.projection_size=200: must be smaller than the hidden size (200), got 200")]
    [InlineData(new[] { "model.cell=gru", "model.variant.peephole=true" }, "model.variant.peephole=true: model.variant: is an LSTM option (peephole); the Gru cell has none")]
    [InlineData(new[] { "model.backend=torch", "model.variant.layer_norm=true" }, "layer-norm changes the LSTM step")]
    [InlineData(new[] { "model.variant.coupled_input_forget=true", "model.variant.no_forget_gate=true" }, "cannot be combined with NoForgetGate")]
    [InlineData(new[] { "model.variant.bidirectional=true" }, "model.variant.bidirectional=true: would let the model read the future steps it predicts")]
    public void VariantsTheTaskOrBackendCannotRunAreConfigErrors(string[] settings, string message)
    {
        Assert.Contains(message, Error(settings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.tied=true", "override model.tied=true: one-hot input has no embedding matrix to tie to the decoder (model.input: one_hot)")]
    [InlineData("model.embedding_dropout=0.1", "override model.embedding_dropout=0.1: one-hot input has no embedding rows to drop (model.input: one_hot)")]
    public void OneHotInputRejectsWhatNeedsAnEmbedding(string setting, string message)
    {
        const string charLm = "task: language_model\ndata: {name: tinyshakespeare}\nmodel: {input: one_hot, embedding_size: 200, hidden_size: 200}\n";
        var error = ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>(charLm, [setting], "char.yaml"));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void InitKerasBindsAndRejectsAnInitRange()
    {
        const string charLm = "task: language_model\ndata: {name: tinyshakespeare}\nmodel: {input: one_hot, hidden_size: 128}\n";
        var model = Assert.IsType<LanguageModelSettings>(ConfigLoader.LoadFromString<ExperimentSettings>(charLm, ["model.init=keras"], "char.yaml").Value.Model);
        Assert.Equal(LanguageModelInit.Keras, model.Init);
        var error = ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>(charLm, ["model.init=keras", "model.init_range=0.19"], "char.yaml"));
        Assert.Equal("override model.init_range=0.19: does not apply to model.init keras (its bounds come from the weights' shapes), got 0.19", error);
        Assert.NotNull(ConfigLoader.LoadFromString<ExperimentSettings>(charLm, ["model.init=pytorch_examples", "model.init_range=0.19"], "char.yaml"));
    }
}
