using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Config;
using Research.Models.Forecasting;
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
    public void RegularisersReachTheRecurrentCoreOptions()
    {
        var m = Load("model.cell=gru", "model.locked_dropout=true", "model.weight_drop=0.25", "model.core=lstm").Model;
        Assert.Equal(new RecurrentCoreOptions(RecurrentCellKind.Gru, RecurrentCoreKind.Lstm, LstmImplementation.Fast, LockedDropout: true, WeightDrop: 0.25),
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
    [InlineData(new[] { "model.cell=gru", "model.core=torch", "model.weight_drop=0.2" }, "override model.weight_drop=0.2: not available with the torch core")]
    [InlineData(new[] { "model.core=torch", "model.locked_dropout=true" }, "override model.locked_dropout=true: with 2 layers and dropout needs a locked between-layer mask")]
    public void CombinationsTheCoreCannotDoAreConfigErrors(string[] settings, string message)
    {
        Assert.Contains(message, Error(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void LockedDropoutWithOneLayerIsFineForEveryCore()
    {
        Assert.True(Load("model.layers=1", "model.core=torch", "model.locked_dropout=true").Model.LockedDropout);
    }

    [Fact]
    public void StepKernelIsOnByDefaultAndItsSwitchReachesTheLstm()
    {
        Assert.True(Load().Model.Recurrence().StepKernel);
        Assert.True(Assert.IsType<Lstm>(RecurrentCore.Create(Load().Model.Recurrence(), 3, 4, 1, 0.0).Module).StepKernel);
        var options = Load("model.step_kernel=false").Model.Recurrence();
        Assert.False(options.StepKernel);
        var core = RecurrentCore.Create(options, 3, 4, 1, 0.0);
        Assert.False(Assert.IsType<Lstm>(core.Module).StepKernel);
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
    [InlineData(new[] { "model.variant.projection_size=200" }, "override model.variant.projection_size=200: must be smaller than hidden_size (200), got 200")]
    [InlineData(new[] { "model.cell=gru", "model.variant.peephole=true" }, "model.variant.peephole=true: model.variant: is an LSTM option (peephole); the Gru cell has none")]
    [InlineData(new[] { "model.core=torch", "model.variant.layer_norm=true" }, "layer-norm changes the LSTM step")]
    [InlineData(new[] { "model.variant.coupled_input_forget=true", "model.variant.no_forget_gate=true" }, "cannot be combined with NoForgetGate")]
    [InlineData(new[] { "model.variant.bidirectional=true" }, "model.variant.bidirectional=true: would let the model read the future steps it predicts")]
    public void VariantsTheTaskOrCoreCannotRunAreConfigErrors(string[] settings, string message)
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
}
