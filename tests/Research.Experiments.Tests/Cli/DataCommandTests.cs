using System.Text;
using Research.Experiments.Cli;

namespace Research.Experiments.Tests.Cli;

/// <summary>`research data`: each kind of bad input is one line naming the file (and line/column) and exit code 2.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-data-cli").FullName;

    private static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CommandLineApp.Run(Program.Commands, args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("missing.csv", null, "missing.csv")]
    [InlineData("empty.csv", "", "empty.csv")]
    [InlineData("fields.csv", "date,a,b\n2020-01-01 00:00:00,1,2\n2020-01-01 01:00:00,1\n", "fields.csv:3:")]
    [InlineData("number.csv", "date,a\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,abc\n", "number.csv:3: column 2 'a': cannot read 'abc' as a number")]
    [InlineData("order.csv", "date,a\n2020-01-01 01:00:00,1\n2020-01-01 00:00:00,2\n", "order.csv:3:")]
    [InlineData("empty.txt", "", "empty.txt")]
    public void BadFilesAreOneLineAndExit2(string name, string? content, string expected)
    {
        var path = content is null ? Path.Combine(_dir, name) : Write(name, content);
        var (code, stdout, stderr) = Run("data", "inspect", path);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("research data: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AnUnknownColumnIsNamed()
    {
        var path = Write("cols.csv", "date,load\n2020-01-01 00:00:00,1\n");
        var (code, _, stderr) = Run("data", "inspect", path, "data.targets=[lod]");
        Assert.Equal(2, code);
        Assert.Contains("lod", stderr, StringComparison.Ordinal);
        Assert.Contains("load", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonUtf8TextFileIsNamedWithItsLine()
    {
        var path = Path.Combine(_dir, "latin1.txt");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("fine line\ncaf"), 0xE9, (byte)'\n']);
        var (code, _, stderr) = Run("data", "inspect", path);
        Assert.Equal(2, code);
        Assert.Contains("latin1.txt:2: invalid UTF-8", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongChecksumFailsVerificationWithExit2()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tinyshakespeare"));
        File.WriteAllText(Path.Combine(_dir, "tinyshakespeare", "input.txt"), "To be, or not to be\n");
        var (code, stdout, _) = Run("data", "verify", "tinyshakespeare", "--data-dir", _dir, "--cache-dir", Path.Combine(_dir, "cache"));
        Assert.Equal(2, code);
        Assert.Contains("| tinyshakespeare | 1/1   | NO ", stdout, StringComparison.Ordinal);
        Assert.Contains("input.txt: sha256 ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyPassesOnTheSharedMirror()
    {
        var (code, stdout, stderr) = Run("data", "verify", "--data-dir", Runs.TinyRuns.SharedData);
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain("NO", stdout, StringComparison.Ordinal);
        Assert.Contains("| jsb_chorales ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDatasetSuggestsTheKnownOnes()
    {
        var (code, _, stderr) = Run("data", "verify", "ptb2");
        Assert.Equal(2, code);
        Assert.Contains("unknown dataset 'ptb2'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectReadsWithTheOptionsTrainingTakes()
    {
        var path = Write("sales.csv", "Month,Sales\n1-01,10\n1-02,12\n1-04,16\n");
        string[] monthly = ["data.time_column=Month", "data.time_format=[y-MM]", "data.two_digit_year_start=2000"];
        var (code, stdout, stderr) = Run(["data", "inspect", path, .. monthly, "data.fill_missing=linear"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("dataset:  sales (path)", stdout, StringComparison.Ordinal);
        Assert.Contains($"file:     {path} (", stdout, StringComparison.Ordinal);
        Assert.Contains("series:   4 rows x 1 value columns (Sales)", stdout, StringComparison.Ordinal);
        Assert.Contains("time:     column 'Month'; 2001-01-01 .. 2001-04-01", stdout, StringComparison.Ordinal);
        Assert.Contains("column:   Sales: min 10, mean 13, max 16", stdout, StringComparison.Ordinal);

        // The safe default stops on the missing month, as training would.
        (code, _, stderr) = Run(["data", "inspect", path, .. monthly]);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:4: column 1 'Month': 1 missing step(s) of 1 month in 1 gap(s): 2001-03-01 (before line 4)", stderr, StringComparison.Ordinal);

        // A bare word is not an option: it must be data.key=value.
        (code, _, stderr) = Run("data", "inspect", path, "Month");
        Assert.Equal(2, code);
        Assert.Contains("'Month' is not an option of the data: write data.key=value", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectShowsATextFolderAsTrainingSplitsIt()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "corpus"));
        Write("corpus/train.txt", "a b c\nb c\n");
        Write("corpus/valid.txt", "a z\n");
        Write("corpus/test.txt", "c\n");
        var (code, stdout, stderr) = Run("data", "inspect", Path.Combine(_dir, "corpus"));
        Assert.True(code == 0, stderr);
        Assert.Contains("text:     words, vocabulary 5 (from train)", stdout, StringComparison.Ordinal);
        Assert.Contains("valid:    3 tokens, 1 outside the vocabulary (<unk>)", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
