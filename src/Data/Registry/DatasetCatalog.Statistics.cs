using System.Globalization;
using Research.Data.Music;
using Research.Data.Text;
using Research.Data.TimeSeries;

namespace Research.Data.Registry;

/// <summary>The statistics each dataset must show when loaded by this project's own loaders (numbers from SOURCE.md).</summary>
public static partial class DatasetCatalog
{
    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Tokens(TokenCorpus c) => $"{N(c.Train.Length)}/{N(c.Valid.Length)}/{N(c.Test.Length)}";

    private static ExpectedStatistic[] PtbStatistics() =>
    [
        new("word tokens train/valid/test", "929589/73760/82430", dir => Tokens(TokenCorpus.LoadPtb(dir))),
        new("word vocabulary", "10000", dir => N(TokenCorpus.LoadPtb(dir).Vocabulary.Count)),
    ];

    private static ExpectedStatistic[] WikiText2Statistics() =>
    [
        new("word tokens train/valid/test", "2088628/217646/245569", dir => Tokens(TokenCorpus.LoadWikiText(dir))),
        new("word vocabulary", "33278", dir => N(TokenCorpus.LoadWikiText(dir).Vocabulary.Count)),
    ];

    private static ExpectedStatistic[] TinyShakespeareStatistics() =>
    [
        new("characters", "1115394", dir => N(CharCorpus.FromFile(Path.Combine(dir, "input.txt")).Length)),
        new("symbols", "65", dir => N(CharCorpus.FromFile(Path.Combine(dir, "input.txt")).Vocabulary.Count)),
    ];

    private static TimeSeriesFrame Csv(string path, string timeColumn) => TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions { TimeColumn = timeColumn });

    private static string Shape(TimeSeriesFrame f) => $"{N(f.RowCount)} x {N(f.ColumnCount + 1)}";

    private static ExpectedStatistic[] EttStatistics() =>
    [
        new("ETTh1 rows x columns", "17420 x 8", dir => Shape(Csv(Path.Combine(dir, "ETTh1.csv"), "date"))),
        new("ETTm1 rows x columns", "69680 x 8", dir => Shape(Csv(Path.Combine(dir, "ETTm1.csv"), "date"))),
        new("ETTh1 gaps", "0", dir => N(TimeIndexAnalysis.Analyze(Csv(Path.Combine(dir, "ETTh1.csv"), "date")).Gaps.Count)),
    ];

    private static ExpectedStatistic[] AirlineStatistics() =>
    [
        new("rows", "144", dir => N(Csv(Path.Combine(dir, "airline-passengers.csv"), "Month").RowCount)),
        new("gaps", "0", dir => N(TimeIndexAnalysis.Analyze(Csv(Path.Combine(dir, "airline-passengers.csv"), "Month")).Gaps.Count)),
    ];

    private static ExpectedStatistic[] SunspotStatistics() =>
    [
        new("rows", "2820", dir => N(Csv(Path.Combine(dir, "monthly-sunspots.csv"), "Month").RowCount)),
    ];

    private static ExpectedStatistic[] JsbStatistics() =>
    [
        new("chorales train/valid/test", "229/76/77", dir =>
        {
            var jsb = PianoRollCorpus.LoadJson(Path.Combine(dir, "jsb-chorales-quarter.json"));
            return $"{N(jsb.Train.Count)}/{N(jsb.Valid.Count)}/{N(jsb.Test.Count)}";
        }),
        new("piano-roll width", "88", dir => N(PianoRollCorpus.LoadJson(Path.Combine(dir, "jsb-chorales-quarter.json")).Train[0].shape[1])),
    ];
}
