using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class CsvLoadingTests : IDisposable
{
    private readonly TempCsv files = new();

    private static readonly TimeSeriesCsvOptions Options = new() { TimeColumn = "time" };

    public void Dispose() => files.Dispose();

    [Fact]
    public void Etth1_has_17420_hourly_rows_of_seven_channels()
    {
        var f = EttData.Etth1;
        Assert.Equal(17_420, f.RowCount);
        Assert.Equal(EttData.Channels, f.ColumnNames);
        Assert.Equal(new DateTime(2016, 7, 1, 0, 0, 0), f.Timestamps[0]);
        Assert.Equal(new DateTime(2018, 6, 26, 19, 0, 0), f.Timestamps[^1]);
        Assert.Equal(5.827000141143799, f[0, 0]);
        var report = TimeIndexAnalysis.Analyze(f);
        Assert.Equal(SeriesFrequency.Hourly, report.Frequency);
        Assert.True(report.IsRegular, report.ToString());
    }

    [Fact]
    public void Ettm1_has_69680_quarter_hour_rows()
    {
        var f = EttData.Ettm1;
        Assert.Equal(69_680, f.RowCount);
        Assert.Equal(EttData.Channels, f.ColumnNames);
        Assert.Equal(new DateTime(2018, 6, 26, 19, 45, 0), f.Timestamps[^1]);
        var report = TimeIndexAnalysis.Analyze(f);
        Assert.Equal(SeriesFrequency.FifteenMinutes, report.Frequency);
        Assert.True(report.IsRegular, report.ToString());
    }

    [Fact]
    public void Airline_passengers_is_144_months_without_gaps()
    {
        // Quoted header and dates, CRLF, no final newline (SOURCE.md).
        var f = EttData.Airline();
        Assert.Equal(144, f.RowCount);
        Assert.Equal(["Passengers"], f.ColumnNames);
        Assert.Equal(new DateTime(1949, 1, 1), f.Timestamps[0]);
        Assert.Equal(new DateTime(1960, 12, 1), f.Timestamps[^1]);
        Assert.Equal(112, f[0, 0]);
        Assert.Equal(432, f[143, 0]);
        Assert.Equal(280.2986, f.Column("Passengers").Average(), 4);
        var report = TimeIndexAnalysis.Analyze(f);
        Assert.Equal(SeriesFrequency.Monthly, report.Frequency);
        Assert.True(report.IsRegular, report.ToString());
        Assert.Equal("1 month", report.Frequency.ToString());
    }

    [Fact]
    public void Selects_value_columns_by_name_in_the_given_order()
    {
        var f = TimeSeriesCsv.Load(SharedData.Path("ett", "ETTh1.csv"), new TimeSeriesCsvOptions { TimeColumn = "date", ValueColumns = ["OT", "HUFL"] });
        Assert.Equal(["OT", "HUFL"], f.ColumnNames);
        Assert.Equal(EttData.Etth1[17_419, 6], f[17_419, 0]);
        Assert.Equal(EttData.Etth1[17_419, 0], f[17_419, 1]);
    }

    [Fact]
    public void Crlf_and_missing_final_newline_parse_the_same_as_lf()
    {
        const string Lf = "time,a,b\n2020-01-01 00:00,1.5,2\n2020-01-01 01:00,-3,4e2\n";
        var lf = TimeSeriesCsv.Load(files.Write("lf.csv", Lf), Options);
        var crlf = TimeSeriesCsv.Load(files.Write("crlf.csv", Lf.Replace("\n", "\r\n")), Options);
        var noFinal = TimeSeriesCsv.Load(files.Write("nofinal.csv", Lf.TrimEnd('\n')), Options);
        var crlfNoFinal = TimeSeriesCsv.Load(files.Write("crlf-nofinal.csv", Lf.Replace("\n", "\r\n").TrimEnd('\r', '\n')), Options);
        foreach (var other in new[] { crlf, noFinal, crlfNoFinal })
        {
            Assert.Equal(lf.ColumnNames, other.ColumnNames);
            Assert.Equal(lf.Timestamps.ToArray(), other.Timestamps.ToArray());
            Assert.Equal(lf.Values.ToArray(), other.Values.ToArray());
        }
        Assert.Equal([1.5, 2, -3, 400], lf.Values.ToArray());
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = files.PathOf("absent.csv");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  ")]
    public void Empty_file_is_named(string text)
    {
        var path = files.Write("empty.csv", text);
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.StartsWith($"{path}: empty file", e.Message);
    }

    [Fact]
    public void Header_only_file_says_there_are_no_rows()
    {
        var path = files.Write("header.csv", "time,a\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:2: no data rows after the header", e.Message);
    }

    [Fact]
    public void Wrong_field_count_names_the_line()
    {
        var path = files.Write("short.csv", "time,a,b\n2020-01-01 00:00,1,2\n2020-01-01 01:00,3\n2020-01-01 02:00,5,6\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:3: 2 fields, but the header (line 1) has 3: column 3 'b' is missing", e.Message);

        path = files.Write("long.csv", "time,a,b\r\n2020-01-01 00:00,1,2\r\n2020-01-01 01:00,3,4\r\n2020-01-01 02:00,5,6,7");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:4: 4 fields, but the header (line 1) has 3: column 4 holds '7' beyond them", e.Message);
    }

    [Fact]
    public void Non_numeric_cell_names_line_column_and_text()
    {
        var path = files.Write("text.csv", "time,a,b\n2020-01-01 00:00,1,2\n2020-01-01 01:00,3,n/a\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:3: column 3 'b': cannot read 'n/a' as a number", e.Message);
    }

    [Fact]
    public void Thousands_separator_is_not_silently_read()
    {
        // Microsoft.Data.Analysis alone reads "1,5" as 15.
        var path = files.Write("comma.csv", "time,a\n2020-01-01 00:00,\"1,5\"\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:2: column 2 'a': cannot read '1,5' as a number", e.Message);
    }

    [Fact]
    public void Empty_cell_is_an_error_unless_missing_values_are_allowed()
    {
        const string Text = "time,a,b\n2020-01-01 00:00,1,2\n2020-01-01 01:00,,4\n2020-01-01 02:00,5,NaN\n";
        var path = files.Write("holes.csv", Text);
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:3: column 2 'a': empty cell (missing value); fill_missing: forward or linear fills it", e.Message);

        var f = TimeSeriesCsv.Load(path, Options with { AllowMissingValues = true });
        Assert.True(double.IsNaN(f[1, 0]));
        Assert.True(double.IsNaN(f[2, 1]));
        Assert.Equal(4, f[1, 1]);

        var nanOnly = files.Write("nan.csv", "time,a\n2020-01-01 00:00,NaN\n");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(nanOnly, Options));
        Assert.Equal($"{nanOnly}:2: column 2 'a': 'NaN' is not a finite number", e.Message);
    }

    [Fact]
    public void Unknown_column_lists_the_available_ones()
    {
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(SharedData.Path("ett", "ETTh1.csv"),
            new TimeSeriesCsvOptions { TimeColumn = "date", ValueColumns = ["Ot"] }));
        Assert.Equal($"{SharedData.Path("ett", "ETTh1.csv")}:1: unknown column 'Ot'; did you mean 'OT'? (available: date, HUFL, HULL, MUFL, MULL, LUFL, LULL, OT)", e.Message);

        var path = files.Write("t.csv", "time,a\n2020-01-01 00:00,1\n");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions { TimeColumn = "timestamp" }));
        Assert.Equal($"{path}:1: time column: unknown column 'timestamp' (available: time, a); time_column: null reads the rows as the time index", e.Message);
    }

    [Fact]
    public void Time_column_must_increase()
    {
        var path = files.Write("order.csv", "time,a\n2020-01-01 00:00,1\n2020-01-01 02:00,2\n2020-01-01 01:00,3\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:4: column 'time': 2020-01-01 01:00:00 does not come after 2020-01-01 02:00:00 on line 3; the time column must be strictly increasing", e.Message);

        path = files.Write("dup.csv", "time,a\n2020-01-01 00:00,1\n2020-01-01 00:00,2\n");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.StartsWith($"{path}:3: column 'time': 2020-01-01 00:00:00 does not come after", e.Message);
    }

    [Fact]
    public void Unparsable_timestamp_names_line_and_text()
    {
        var path = files.Write("date.csv", "time,a\n2020-01-01 00:00,1\n01/02/2020,2\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.StartsWith($"{path}:3: column 1 'time': cannot read '01/02/2020' as a timestamp (one of the formats yyyy-MM-dd HH:mm:ss", e.Message);

        var custom = TimeSeriesCsv.Load(path, Options with { TimeFormats = ["yyyy-MM-dd HH:mm", "dd/MM/yyyy"] });
        Assert.Equal(new DateTime(2020, 2, 1), custom.Timestamps[1]);
    }

    [Fact]
    public void Blank_line_between_rows_is_reported_but_trailing_ones_are_fine()
    {
        var path = files.Write("blank.csv", "time,a\n2020-01-01 00:00,1\n\n2020-01-01 01:00,2\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:3: empty line between data rows", e.Message);

        var trailing = TimeSeriesCsv.Load(files.Write("trailing.csv", "time,a\r\n2020-01-01 00:00,1\r\n\r\n\r\n"), Options);
        Assert.Equal(1, trailing.RowCount);
    }

    [Fact]
    public void Broken_quote_names_the_line()
    {
        var path = files.Write("quote.csv", "\"time\",\"a\"\n\"2020-01-01 00:00,1\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:2: field 1 opens a quote that is never closed", e.Message);
    }

    [Fact]
    public void Header_names_are_trimmed_and_quoted_separators_kept()
    {
        var path = files.Write("names.csv", "time, a ,\"b,c\",note\n2020-01-01 00:00,1,2,\"says \"\"hi\"\", twice\"\n");
        var f = TimeSeriesCsv.Load(path, Options with { ValueColumns = ["b,c", "a"] });
        Assert.Equal(["b,c", "a"], f.ColumnNames);
        Assert.Equal([2.0, 1.0], f.Values.ToArray());
    }

    [Fact]
    public void Duplicate_header_name_is_reported()
    {
        var path = files.Write("dup-names.csv", "time,a,a\n2020-01-01 00:00,1,2\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, Options));
        Assert.Equal($"{path}:1: column name 'a' appears twice in the header (columns 2 and 3)", e.Message);
    }

    [Fact]
    public void Headerless_file_takes_the_given_names_and_the_rows_as_its_time_index()
    {
        var path = files.Write("rates.txt", "1.5,2,3\n1.25,2.5,3.5\n1,3,4\n");
        var f = TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions
        {
            HasHeader = false,
            ColumnNames = ["usd", "gbp", "jpy"],
            TimeColumn = null,
            Frequency = SeriesFrequency.Parse("1d"),
            Start = new DateTime(2020, 3, 1),
        });
        Assert.Equal(["usd", "gbp", "jpy"], f.ColumnNames);
        Assert.Equal([new DateTime(2020, 3, 1), new DateTime(2020, 3, 2), new DateTime(2020, 3, 3)], f.Timestamps.ToArray());
        Assert.Equal([1.5, 2, 3, 1.25, 2.5, 3.5, 1, 3, 4], f.Values.ToArray());

        // Without names the columns are 0, 1, 2 (pandas' header=None).
        var unnamed = TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions { HasHeader = false, TimeColumn = null, Frequency = SeriesFrequency.Hourly });
        Assert.Equal(["0", "1", "2"], unnamed.ColumnNames);
    }

    [Fact]
    public void Headerless_file_with_a_header_row_or_the_wrong_names_is_named()
    {
        var options = new TimeSeriesCsvOptions { HasHeader = false, ColumnNames = ["a", "b"], TimeColumn = null, Frequency = SeriesFrequency.Hourly };
        var path = files.Write("header.txt", "a,b\n1,2\n3,4\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, options));
        Assert.Equal($"{path}:1: column 1 'a': cannot read 'a' as a number; line 1 looks like a header, but the file is read as headerless (header: false)", e.Message);

        path = files.Write("three.txt", "1,2,3\n4,5,6\n");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, options));
        Assert.Equal($"{path}:1: 3 fields, but 2 column names are given (a, b); the file is read as headerless (header: false)", e.Message);

        path = files.Write("short.txt", "1,2\n4\n");
        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(path, options));
        Assert.Equal($"{path}:2: 1 fields, but 2 column names are given: column 2 'b' is missing", e.Message);

        e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(files.Write("ok.txt", "1,2\n"), options with { Frequency = null }));
        Assert.Contains("give the step between rows with frequency", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Century_less_years_follow_the_two_digit_year_rule()
    {
        var path = files.Write("shampoo.csv", "\"Month\",\"Sales\"\n\"1-01\",266.0\n\"1-02\",145.9\n\"3-12\",646.9\n");
        var options = new TimeSeriesCsvOptions { TimeColumn = "Month", TimeFormats = ["y-MM"], FillMissing = FillMissing.None };
        Assert.Equal(new DateTime(2001, 1, 1), TimeSeriesCsv.Load(path, options with { TwoDigitYearStart = 2000 }).Timestamps[0]);
        Assert.Equal(new DateTime(1901, 1, 1), TimeSeriesCsv.Load(path, options with { TwoDigitYearStart = 1900 }).Timestamps[0]);
        Assert.Equal(new DateTime(2003, 12, 1), TimeSeriesCsv.Load(path, options).Timestamps[^1]); // default start 1950: 03 is 2003

        var bad = files.Write("bad.csv", "Month,Sales\n1-01,1\n1-13,2\n");
        var e = Assert.Throws<DataException>(() => TimeSeriesCsv.Load(bad, options));
        Assert.Equal($"{bad}:3: column 1 'Month': cannot read '1-13' as a timestamp (format y-MM)", e.Message);
    }

    [Fact]
    public void Tab_separated_files_read_with_a_tab()
    {
        Assert.Equal('\t', TimeSeriesCsvOptions.SeparatorFor("x/data.tsv"));
        Assert.Equal(',', TimeSeriesCsvOptions.SeparatorFor("x/data.txt"));
        var path = files.Write("t.tsv", "time\ta\n2020-01-01 00:00\t1\n2020-01-01 01:00\t2\n");
        var f = TimeSeriesCsv.Load(path, Options with { Separator = '\t' });
        Assert.Equal([1.0, 2.0], f.Values.ToArray());
    }
}
