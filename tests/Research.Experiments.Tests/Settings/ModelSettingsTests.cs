using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Config;
using Research.Models.Recurrent;

namespace Research.Experiments.Tests.Settings;

/// <summary>model.cell and the regulariser keys: how they bind and which combinations a config may not ask for.</summary>
public sealed class ModelSettingsTests
{
    private const string Yaml = "task: music\ndata: {name: jsb_chorales}\nmodel: {layers: 2, dropout: 0.3}\n";

    private static ExperimentSettings Load(params string[] overrides)
        => ConfigLoader.LoadFromString<ExperimentSettings>(Yaml, overrides, "jsb.yaml").Value;

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
    [InlineData("model.embedding_dropout=0.1", "override model.embedding_dropout=0.1: drops rows of a word embedding: only the language_model task has one")]
    public void BadValuesNameTheKey(string setting, string message)
    {
        Assert.Contains(message, Error(setting), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "model.cell=gru", "model.core=torch", "model.weight_drop=0.2" }, "override model.weight_drop=0.2: not available with the torch core")]
    [InlineData(new[] { "model.weight_drop=0.2" }, "override model.weight_drop=0.2: not available for the LSTM cell yet")]
    [InlineData(new[] { "model.locked_dropout=true" }, "override model.locked_dropout=true: with 2 layers and dropout needs a locked between-layer mask")]
    public void CombinationsTheCoreCannotDoAreConfigErrors(string[] settings, string message)
    {
        Assert.Contains(message, Error(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void LockedDropoutWithOneLayerIsFineForEveryCore()
    {
        Assert.True(Load("model.layers=1", "model.core=torch", "model.locked_dropout=true").Model.LockedDropout);
    }
}
