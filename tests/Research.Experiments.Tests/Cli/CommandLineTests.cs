using Research.Experiments.Cli;

namespace Research.Experiments.Tests.Cli;

/// <summary>The `research` command line as a whole: each command's own options and help, and the one-line errors.</summary>
public sealed class CommandLineTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => Runs.TinyRuns.InProcess(args);

    [Fact]
    public void NoArgumentsPrintsTheHelpAndExits2()
    {
        var (code, stdout, stderr) = Run();
        Assert.Equal(2, code);
        Assert.Empty(stderr);
        foreach (var verb in new[] { "train", "generate", "forecast", "export", "data", "bench", "compare-lstm", "reproduce", "sweep" })
            Assert.Contains($"  {verb}", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--hidden", "--models", "bench", "lstm")]
    [InlineData("--models", "--hidden", "bench", "lm")]
    [InlineData("--repeats", "--hidden", "bench", "data")]
    [InlineData("--url", "--config", "data", "add")]
    [InlineData("--config", "--url", "data", "inspect")]
    public void EachSubcommandsHelpListsOnlyItsOwnOptions(string own, string other, params string[] command)
    {
        var (code, stdout, _) = Run([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains(own, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(other, stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("research bench: error: unknown option --hidden", "bench", "data", "--hidden", "5")]
    [InlineData("research bench: error: say which: data, lstm, lm, builds", "bench")]
    [InlineData("research bench: error: unknown command 'lstn' (did you mean lstm?)", "bench", "lstn")]
    [InlineData("research data: error: NAME is missing", "data", "add")]
    [InlineData("research generate: error: unexpected argument 'b'", "generate", "a", "b")]
    [InlineData("research sweep: error: --poll-seconds must be between 0.1 and 3600, got 0", "sweep", "f.yaml", "--poll-seconds", "0")]
    public void ParseErrorsAreOneLineAndExit2(string line, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Equal(line + "\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnActionWritesToTheWritersItWasGiven()
    {
        var probe = Verb.Create("probe", "writes one line to each stream", (_, io) =>
        {
            io.Out.Write("result");
            io.Error.Write("progress");
            return 0;
        });
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = CommandLineApp.Run([probe], ["probe"], stdout, stderr);

        Assert.Equal(0, code);
        Assert.Equal(("result", "progress"), (stdout.ToString(), stderr.ToString()));
    }
}
