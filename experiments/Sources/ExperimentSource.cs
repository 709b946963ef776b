using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Data.Text;
using Research.Experiments.Settings;

namespace Research.Experiments.Sources;

/// <summary>The data source a task reads, from its settings: the one place where a task and a source are matched.</summary>
public static class ExperimentSource
{
    /// <exception cref="DataException">The source is unknown, missing, or of a kind the task cannot read.</exception>
    public static DataSource Resolve(ExperimentSettings settings)
    {
        var d = settings.Data;
        if (settings.Task is TaskKind.Adding or TaskKind.Copying)
        {
            // These tasks generate their own sequences: a name is optional and can only be the task's generator.
            var generator = settings.Task == TaskKind.Adding ? Generator.Adding : Generator.Copying;
            var expected = new GeneratedData(generator);
            if (d.Path is not null || (!string.IsNullOrWhiteSpace(d.Name) && d.Name != expected.Name))
                throw new DataException($"task {expected.Name} generates its own sequences: leave data.name out (or set it to {expected.Name}) and give no data.path");
            return expected;
        }
        var source = DataSource.Resolve(d.Name, d.Path, LabCatalogue.Registry(d.Catalogue));
        var readable = (settings.Task, source) switch
        {
            (TaskKind.LanguageModel, GeneratedData g) => g.Generator == Generator.Markov,
            (TaskKind.Forecast, GeneratedData g) => g.Generator == Generator.Sine,
            (TaskKind.Music, GeneratedData) => false,
            _ => true,
        };
        return readable ? source : throw new DataException($"data.name '{source.Name}' is a generator that task {Task(settings.Task)} cannot read " +
            $"({Task(settings.Task)} reads {(settings.Task switch { TaskKind.LanguageModel => "text or markov", TaskKind.Forecast => "a series or sine", _ => "piano rolls" })})");
    }

    /// <summary>
    /// The text level a language-model config reads: data.level, else the registered dataset's own (characters for
    /// Tiny Shakespeare), else words. Needs no file, so a finished run can be read after its data has moved.
    /// </summary>
    public static TextLevel LevelOf(DataSettings d)
    {
        if (d.Level is { } level)
            return level;
        if (d.Path is not null || string.IsNullOrWhiteSpace(d.Name))
            return TextLevel.Word;
        return DatasetRegistry.BuiltIn.TryGet(d.Name, out var spec) && spec.Text.Count > 0 ? spec.Text[0].Level : TextLevel.Word;
    }

    private static string Task(TaskKind task) => task switch
    {
        TaskKind.LanguageModel => "language_model",
        _ => task.ToString().ToLowerInvariant(),
    };
}
