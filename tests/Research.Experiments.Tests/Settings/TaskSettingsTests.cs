using Research.Experiments.Config;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Config;
using Research.Models.Language;
using ModelSettings = Research.Experiments.Settings.ModelSettings;

namespace Research.Experiments.Tests.Settings;

/// <summary>data.* and model.* take the task's own classes: which keys a config may set follows from the task alone.</summary>
public sealed class TaskSettingsTests
{
    private static ExperimentSettings Load(string yaml, params string[] overrides) =>
        ConfigLoader.LoadFromString<ExperimentSettings>(yaml, overrides, "x.yaml").Value;

    private static string Error(string yaml, params string[] overrides) =>
        ConfigError.Of(() => ConfigLoader.LoadFromString<ExperimentSettings>(yaml, overrides, "x.yaml"));

    [Theory]
    [InlineData(TaskKind.LanguageModel, typeof(TextDataSettings), typeof(LanguageModelSettings))]
    [InlineData(TaskKind.Forecast, typeof(SeriesDataSettings), typeof(ForecasterSettings))]
    [InlineData(TaskKind.Music, typeof(MusicDataSettings), typeof(MusicModelSettings))]
    [InlineData(TaskKind.Adding, typeof(SequenceDataSettings), typeof(ModelSettings))]
    [InlineData(TaskKind.Copying, typeof(SequenceDataSettings), typeof(ModelSettings))]
    public void TheTaskPicksTheDataAndModelClasses(TaskKind task, Type data, Type model)
    {
        // Wherever task: stands in the file, data: and model: are bound after it.
        var settings = Load($"data: {{name: x}}\nmodel: {{hidden_size: 8}}\ntask: {ExperimentSettings.TaskName(task)}\n");
        Assert.Equal(data, settings.Data.GetType());
        Assert.Equal(model, settings.Model.GetType());
        Assert.Equal(8, settings.Model.HiddenSize);
    }

    [Theory]
    [InlineData("task: forecast\ndata: {name: ett}\nmodel:\n  tied: true\n", "x.yaml:4: model.tied: unknown key (belongs to task language_model)")]
    [InlineData("task: language_model\ndata:\n  name: ptb\n  horizon: 24\n", "x.yaml:4: data.horizon: unknown key (belongs to task forecast)")]
    [InlineData("task: music\ndata: {name: jsb_chorales, sequence_length: 10}\n", "x.yaml:2: data.sequence_length: unknown key (belongs to tasks adding, copying)")]
    [InlineData("task: adding\nmodel: {window_norm: last}\n", "x.yaml:2: model.window_norm: unknown key (belongs to task forecast)")]
    [InlineData("task: forecast\nmodel: {hiden_size: 8}\n", "x.yaml:2: model.hiden_size: unknown key (did you mean model.hidden_size?)")]
    public void AKeyOfAnotherTaskIsAnUnknownKeyThatNamesItsTask(string yaml, string message)
    {
        Assert.Equal(message, Error(yaml));
    }

    [Fact]
    public void AnOverrideOfTheTaskRebindsTheFilesKeysToTheNewTasksClasses()
    {
        Assert.Equal("override model.input=one_hot: unknown key (belongs to task language_model)",
            Error("task: language_model\ndata: {name: ptb}\n", "task=forecast", "model.input=one_hot"));
        Assert.IsType<ForecasterSettings>(Load("task: language_model\ndata: {name: ptb}\n", "task=forecast").Model);
    }

    [Fact]
    public void RulesOfOneTaskAreTheRulesOfItsClasses()
    {
        Assert.Contains("data.windows.step: must be", Error("task: language_model\ndata: {name: ptb, windows: {length: 4, step: 0}}\n"), StringComparison.Ordinal);
        Assert.Contains("model.variant.bidirectional: would let the model read the future steps it predicts",
            Error("task: forecast\nmodel: {strategy: autoregressive, variant: {bidirectional: true}}\n"), StringComparison.Ordinal);
        Assert.True(Load("task: forecast\nmodel: {strategy: direct, variant: {bidirectional: true}}\n").Model.Variant.Bidirectional);
        Assert.True(Load("task: adding\nmodel: {variant: {bidirectional: true}}\n").Model.Variant.Bidirectional);
    }

    [Fact]
    public void TrainingOnTheWholeTextIsForOneFileAndNewlinesToSpacesForCharacters()
    {
        Assert.Equal(1.0, ((TextDataSettings)Load("task: language_model\ndata: {name: tinyshakespeare, train_fraction: 1.0, newlines_to_spaces: true}\n").Data).TrainFraction);
        Assert.Contains("data.train_fraction: 1.0 (nothing held out) applies to a corpus of one file",
            Error("task: language_model\ndata: {name: x, train_file: a, valid_file: b, test_file: c, train_fraction: 1.0}\n"), StringComparison.Ordinal);
        Assert.Contains("data.newlines_to_spaces: applies to level char only",
            Error("task: language_model\ndata: {name: ptb, level: word, newlines_to_spaces: true}\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheResolvedConfigHoldsTheTasksKeysOnlyAndReadsBack()
    {
        var loaded = ConfigLoader.LoadFromString<ExperimentSettings>("task: forecast\ndata: {name: ett, horizon: 12}\nmodel: {window_norm: last}\n");
        Assert.Contains("horizon: 12", loaded.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("window_norm: last", loaded.ResolvedYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("embedding_size", loaded.ResolvedYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("sequence_length", loaded.ResolvedYaml, StringComparison.Ordinal);
        Assert.Equal(loaded.ResolvedYaml, ConfigLoader.LoadFromString<ExperimentSettings>(loaded.ResolvedYaml).ResolvedYaml);
    }

    [Fact]
    public void SettingsMadeInCodeTakeTheTasksClassesWhenTheTaskIsSet()
    {
        var settings = new ExperimentSettings { Task = TaskKind.Forecast, Model = { HiddenSize = 8 } };
        var forecast = settings.For<SeriesDataSettings, ForecasterSettings>();
        Assert.Equal(8, forecast.Model.HiddenSize);
        Assert.Equal(settings.Train, forecast.Train);
        Assert.Throws<InvalidOperationException>(() => settings.For<TextDataSettings, LanguageModelSettings>());
        Assert.Equal(LanguageModelInput.Embedding, Assert.IsType<LanguageModelSettings>(new ExperimentSettings().Model).Input);
    }
}
