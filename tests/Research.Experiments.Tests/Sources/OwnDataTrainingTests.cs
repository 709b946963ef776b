using System.Security.Cryptography;
using System.Text.Json;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sources;

/// <summary>
/// The acceptance cases of "your own data", each through the command line on files generated here: language models on
/// a UTF-8 file and on a train/valid/test folder, forecasters on a headerless 8-column file, a monthly "1-01" CSV and a
/// daily CSV with two missing days; every bad input one line naming file, line, column and value, exit 2, no run folder.
/// </summary>
public sealed class OwnDataTrainingTests : IDisposable
{
    private readonly OwnDataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private (int Code, string Stdout, string Stderr) Train(string config, params string[] overrides) =>
        TinyRuns.InProcess(["train", _files.Path(config), "--runs-dir", _files.Runs, .. overrides]);

    private JsonElement Summary(string experiment)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyRuns.OnlyRun(_files.Runs, experiment), "summary.json")));
        return document.RootElement.Clone();
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void A_char_level_model_trains_on_an_arbitrary_utf8_file_and_records_it()
    {
        var (code, stdout, stderr) = Train("char.yaml");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("test (best checkpoint): loss", stdout, StringComparison.Ordinal);
        var summary = Summary("poem");
        Assert.Equal("poem", summary.GetProperty("dataset").GetString());
        Assert.Equal("path", summary.GetProperty("dataset_source").GetString());
        var file = Assert.Single(summary.GetProperty("dataset_files").EnumerateArray());
        Assert.Equal(_files.Path("poem.txt"), file.GetProperty("path").GetString());
        Assert.Equal(Sha256(_files.Path("poem.txt")), file.GetProperty("sha256").GetString());
        Assert.True(summary.GetProperty("test").GetProperty("bpc").GetDouble() > 0);
        var vocabulary = File.ReadAllText(Path.Combine(TinyRuns.OnlyRun(_files.Runs, "poem"), "vocabulary.json"));
        Assert.Contains("東", JsonSerializer.Deserialize<List<string>>(vocabulary)!);
    }

    [Fact]
    public void A_word_level_model_trains_on_a_train_valid_test_folder()
    {
        var (code, stdout, stderr) = Train("word.yaml");
        Assert.True(code == 0, stderr + stdout);
        var files = Summary("words").GetProperty("dataset_files").EnumerateArray().Select(f => Path.GetFileName(f.GetProperty("path").GetString())).ToList();
        Assert.Equal(["train.txt", "valid.txt", "test.txt"], files);
        Assert.Equal("corpus", Summary("words").GetProperty("dataset").GetString());
    }

    [Fact]
    public void Split_files_with_other_names_are_named_in_the_config()
    {
        foreach (var (from, to) in new[] { ("train", "a.txt"), ("valid", "b.txt"), ("test", "c.txt") })
            File.Move(_files.Path($"corpus/{from}.txt"), _files.Path($"corpus/{to}"));
        var (code, _, stderr) = Train("word.yaml");
        Assert.Equal(2, code);
        Assert.Contains("no train/valid/test files found", stderr, StringComparison.Ordinal);
        (code, var stdout, stderr) = Train("word.yaml", "data.train_file=a.txt", "data.valid_file=b.txt", "data.test_file=c.txt");
        Assert.True(code == 0, stderr + stdout);
    }

    [Fact]
    public void A_forecaster_trains_on_a_headerless_eight_column_file_without_a_time_column()
    {
        var (code, stdout, stderr) = Train("exchange.yaml");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("test (best checkpoint): loss", stdout, StringComparison.Ordinal);
        Assert.Equal(Sha256(_files.Path("exchange_rate.txt")), Summary("exchange").GetProperty("dataset_files")[0].GetProperty("sha256").GetString());
    }

    [Fact]
    public void A_forecaster_trains_on_monthly_one_dash_labels_given_a_format()
    {
        var (code, stdout, stderr) = Train("shampoo.yaml");
        Assert.True(code == 0, stderr + stdout);
        // The backtest's times show how "1-01" was read: year 1 is 2001, so the test split (the last 12 months) is 2005.
        var run = TinyRuns.OnlyRun(_files.Runs, "shampoo");
        (code, stdout, stderr) = TinyRuns.InProcess("forecast", run);
        Assert.True(code == 0, stderr + stdout);
        var rows = File.ReadAllLines(Path.Combine(run, "forecasts", "test-predictions.csv"));
        Assert.StartsWith("2005-01-01 00:00:00,2005-01-01 00:00:00,1,Sales,", rows[1], StringComparison.Ordinal);
        Assert.Equal(1 + (12 / 3 * 3), rows.Length);
    }

    [Fact]
    public void Two_missing_days_stop_the_safe_default_and_train_with_linear_filling()
    {
        var (code, stdout, stderr) = Train("daily.yaml");
        Assert.Equal(2, code);
        Assert.Equal($"research train: error: {_files.Path("daily.csv")}:42: column 1 'date': 2 missing step(s) of 1 d in 2 gap(s): " +
            "2021-02-10 (before line 42), 2021-04-01 (before line 91); fill_missing: forward or linear fills them, none reads the rows as consecutive steps\n", stderr);
        Assert.False(Directory.Exists(_files.Runs));

        (code, stdout, stderr) = Train("daily.yaml", "data.fill_missing=linear");
        Assert.True(code == 0, stderr + stdout);
    }

    public static TheoryData<string, string, string[], string> BadInputs() => new()
    {
        // name, the file's text (null: absent), overrides, what the one line says after "research train: error: <path>"
        { "bad-date.csv", "Month,Sales\n1-01,1\n1-02,2\n1-1x,3\n", ["data.targets=[Sales]"], ":4: column 1 'Month': cannot read '1-1x' as a timestamp (format y-MM)" },
        { "short.txt", "1,2,3,4,5,6,7,8\n1,2,3,4,5,6,7\n", [], ":2: 7 fields, but 8 column names are given: column 8 'SGD' is missing" },
        { "header.txt", "AUD,GBP,CAD,CHF,CNY,JPY,NZD,SGD\n1,2,3,4,5,6,7,8\n", [], ":1: column 1 'AUD': cannot read 'AUD' as a number; line 1 looks like a header, but the file is read as headerless (header: false)" },
        { "columns.csv", "Month,Sales\n1-01,1\n", ["data.targets=[Sails]"], ":1: unknown column 'Sails'; did you mean 'Sales'? (available: Month, Sales)" },
        { "empty.csv", "", ["data.targets=[Sales]"], ": empty file: expected a header line and data rows" },
        { "absent.csv", "<absent>", ["data.targets=[Sales]"], ": no such file or folder (data.path; full path " },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Every_bad_input_is_one_line_exit_2_and_nothing_written(string name, string text, string[] overrides, string expected)
    {
        var path = text == "<absent>" ? _files.Path(name) : _files.Write(name, text);
        // The headerless cases read as the exchange-rate config says, the others as the monthly one.
        var config = name.EndsWith(".txt", StringComparison.Ordinal) ? "exchange.yaml" : "shampoo.yaml";
        var (code, stdout, stderr) = Train(config, [$"data.path={path}", .. overrides]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"research train: error: {path}{expected}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(_files.Runs));
    }
}
