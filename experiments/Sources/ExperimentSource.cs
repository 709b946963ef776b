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
        // The generator each task can read, besides (or, for adding and copying, instead of) data it reads.
        var (generator, reads) = settings.Task switch
        {
            TaskKind.LanguageModel => (Generator.Markov, "text"),
            TaskKind.Forecast => (Generator.Sine, "a series"),
            TaskKind.Adding => (Generator.Adding, null),
            TaskKind.Copying => (Generator.Copying, null),
            _ => ((Generator?)null, "piano rolls"),
        };
        var own = generator is { } g ? new GeneratedData(g) : null;
        var task = ExperimentSettings.TaskName(settings.Task);
        if (settings.Data is not SourceDataSettings d)
        {
            // These tasks generate their own sequences (their data has no path): a name is optional and can only be the task's generator.
            if (!string.IsNullOrWhiteSpace(settings.Data.Name) && settings.Data.Name != own!.Name)
                throw new DataException($"task {task} generates its own sequences: leave data.name out (or set it to {own.Name})");
            return own!;
        }
        var source = DataSource.Resolve(d.Name, d.Path, LabCatalogue.Registry(d.Catalogue));
        return source is not GeneratedData || source == own ? source
            : throw new DataException($"data.name '{source.Name}' is a generator that task {task} cannot read ({task} reads {reads}{(own is null ? "" : $" or {own.Name}")})");
    }

    /// <summary>
    /// The text level a language-model config reads: data.level, else the registered dataset's own (characters for
    /// Tiny Shakespeare), else words. Needs no file, so a finished run can be read after its data has moved.
    /// </summary>
    public static TextLevel LevelOf(TextDataSettings d)
    {
        if (d.Level is { } level)
            return level;
        if (d.Path is not null || string.IsNullOrWhiteSpace(d.Name))
            return TextLevel.Word;
        return DatasetRegistry.BuiltIn.TryGet(d.Name, out var spec) && spec.Text.Count > 0 ? spec.Text[0].Level : TextLevel.Word;
    }
}
