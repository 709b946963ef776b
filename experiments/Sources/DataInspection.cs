using System.Globalization;
using System.Text.Json;
using Research.Data.Music;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Data.TimeSeries;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;

namespace Research.Experiments.Sources;

/// <summary>
/// `research data inspect`: the data an experiment would read, loaded by the loaders training uses, from the same
/// data.* settings (a config's, overrides, or both), so what it shows is exactly what training will see.
/// </summary>
public static class DataInspection
{
    /// <summary>The settings for inspecting <paramref name="target"/> (a path, or a registered dataset or generator name).</summary>
    /// <param name="task">language_model, forecast or music; null takes the config's, else guesses from the file's extension.</param>
    public static ExperimentSettings Settings(string? target, string? config, string? task, IReadOnlyList<string> overrides,
        string? dataDir, string? catalogue)
    {
        var given = new List<string>(overrides);
        var typical = target;
        if (target is not null)
        {
            var registered = LabCatalogue.Registry(catalogue).TryGet(target, out var spec);
            var isName = !File.Exists(target) && !Directory.Exists(target) && (DataSource.GeneratorNames.ContainsKey(target) || registered);
            given.Add(isName ? $"data.name={Quote(target)}" : $"data.path={Quote(target)}");
            if (!isName)
                given.Add("data.name=\"\"");
            else if (registered)
                typical = spec.Files[0].Name;
        }
        if (dataDir is not null)
            given.Add($"data.dir={Quote(dataDir)}");
        if (catalogue is not null)
            given.Add($"data.catalogue={Quote(catalogue)}");
        if (config is not null)
            return ConfigLoader.Load<ExperimentSettings>(config, task is null ? given : [$"task={task}", .. given]).Value;
        var yaml = $"task: {task ?? TaskFor(typical)}\n";
        return ConfigLoader.LoadFromString<ExperimentSettings>(yaml, given, "research data inspect").Value;
    }

    /// <summary>Where the data came from (name, kind, each file with its sha256), then what it holds.</summary>
    public static void Write(ExperimentSettings settings, string? cacheDir, TextWriter output)
    {
        var body = new StringWriter();
        var provenance = Load(settings, cacheDir, body);
        output.WriteLine($"dataset:  {provenance.Dataset} ({provenance.Kind})");
        foreach (var file in provenance.Files)
            output.WriteLine($"file:     {file.Path} ({N(file.Bytes)} bytes, sha256 {file.Sha256})");
        output.Write(body.ToString());
    }

    private static DataProvenance Load(ExperimentSettings settings, string? cacheDir, TextWriter stdout)
    {
        var source = ExperimentSource.Resolve(settings);
        var directories = DataDirectories.FromEnvironment(settings.Data.Dir, cacheDir);
        DataProvenance provenance;
        switch (settings.Data)
        {
            case TextDataSettings d:
                var (corpus, text) = CorpusLoader.Load(source, d, settings.Seed, directories);
                provenance = text;
                stdout.WriteLine($"text:     {(corpus.CharLevel ? "characters" : "words")}, vocabulary {N(corpus.Vocabulary.Count)} (from {(corpus.CharLevel ? "all splits" : "train")})");
                foreach (var split in new[] { corpus.Train, corpus.Valid, corpus.Test })
                {
                    var unknown = split.OutOfVocabulary > 0 ? $", {N(split.OutOfVocabulary)} outside the vocabulary (<unk>)" : "";
                    stdout.WriteLine($"{split.Name + ":",-9} {N(split.Length)} tokens{unknown}");
                }
                break;
            case SeriesDataSettings d:
                var (frame, series) = SeriesLoader.Load(source, d, settings.Seed, directories);
                provenance = series;
                WriteSeries(frame, d, stdout);
                break;
            case MusicDataSettings d:
                var path = SourceFiles.Single(source, d.File, directories);
                var rolls = PianoRollCorpus.LoadJson(path);
                provenance = DataProvenance.Of(source, SourceFiles.Record(source, [path]));
                stdout.WriteLine($"music:    {rolls.Train.Count}/{rolls.Valid.Count}/{rolls.Test.Count} sequences (train/valid/test), {PianoRollCorpus.Keys} keys");
                break;
            case var d:
                var generated = (SequenceDataSettings)d;
                provenance = DataProvenance.Of(source, []);
                stdout.WriteLine($"generated: {N(generated.TrainSequences)} training and {N(generated.EvalSequences)} evaluation sequences of length {N(generated.SequenceLength)} per split");
                break;
        }
        return provenance;
    }

    private static void WriteSeries(TimeSeriesFrame frame, SeriesDataSettings d, TextWriter stdout)
    {
        stdout.WriteLine($"series:   {N(frame.RowCount)} rows x {frame.ColumnCount} value columns ({string.Join(", ", frame.ColumnNames)})");
        var time = d.TimeColumn is null ? $"the rows, from {d.Start} every {d.Frequency}" : $"column '{d.TimeColumn}'";
        stdout.WriteLine($"time:     {time}; {TimestampFormat.Show(frame.Timestamps[0])} .. {TimestampFormat.Show(frame.Timestamps[^1])}");
        if (frame.RowCount >= 2)
        {
            var index = d.Step() is { } step ? TimeIndexAnalysis.Analyze(frame.Timestamps, frame.Source, step) : TimeIndexAnalysis.Analyze(frame);
            stdout.WriteLine($"index:    {index} (fill_missing: {SnakeCase.From(d.FillMissing.ToString())})");
        }
        for (var c = 0; c < frame.ColumnCount; c++)
        {
            var column = frame.Column(frame.ColumnNames[c]);
            var finite = column.Where(double.IsFinite).ToArray();
            var stats = finite.Length == 0 ? "no values" : $"min {G(finite.Min())}, mean {G(finite.Average())}, max {G(finite.Max())}";
            var missing = column.Length - finite.Length;
            stdout.WriteLine($"column:   {frame.ColumnNames[c]}: {stats}{(missing > 0 ? $", {N(missing)} missing (NaN)" : "")}");
        }
    }

    // A file's extension says what it usually holds; --task says otherwise (a numeric .txt is a series).
    private static string TaskFor(string? target) => Path.GetExtension(target ?? "").ToLowerInvariant() switch
    {
        ".csv" or ".tsv" => "forecast",
        ".json" => "music",
        _ => "language_model",
    };

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
