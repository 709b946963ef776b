using Research.Data.Registry;
using Research.Data.Sources;
using Research.Data.Synthetic;
using Research.Data.TimeSeries;
using Research.Experiments.Runs;
using Research.Experiments.Settings;

namespace Research.Experiments.Sources;

/// <summary>
/// A time series from any series source, as training and `research data inspect` both read it: a registered
/// dataset's file, a file of one's own (.csv, .tsv, .txt with the data.* reading options), or the sine generator.
/// </summary>
public static class SeriesLoader
{
    public static (TimeSeriesFrame Frame, DataProvenance Provenance) Load(DataSource source, SeriesDataSettings d, int seed, DataDirectories directories)
    {
        if (source is GeneratedData { Generator: Generator.Sine })
        {
            using var sine = SyntheticSeries.NoisySine(d.SineRows, seed);
            var values = sine.data<float>().ToArray();
            var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            var stamps = Enumerable.Range(0, values.Length).Select(h => start.AddHours(h)).ToArray();
            return (new TimeSeriesFrame(source.Name, stamps, ["value"], values.Select(v => (double)v).ToArray()), DataProvenance.Of(source, []));
        }
        var path = SourceFiles.Single(source, d.File, directories);
        var frame = TimeSeriesCsv.Load(path, Options(d, path));
        return (frame, DataProvenance.Of(source, SourceFiles.Record(source, [path])));
    }

    /// <summary>
    /// The reading options data.* describes, for the file at <paramref name="path"/> (its extension picks the default
    /// separator) or for a DataFrame (null). With targets given only they and the covariates are read, so a misspelt
    /// one is reported against the file's header.
    /// </summary>
    public static TimeSeriesCsvOptions Options(SeriesDataSettings d, string? path = null) => new()
    {
        TimeColumn = d.TimeColumn,
        ValueColumns = d.Targets.Count > 0 ? [.. d.Targets, .. d.Covariates] : null,
        TimeFormats = d.TimeFormat.Count > 0 ? d.TimeFormat : null,
        TwoDigitYearStart = d.TwoDigitYearStart,
        Frequency = d.Step(),
        Start = d.StartTime(),
        FillMissing = d.FillMissing,
        Separator = path is null ? ',' : d.Separator(path),
        HasHeader = d.Header,
        ColumnNames = d.Columns.Count > 0 ? d.Columns : null,
    };
}
