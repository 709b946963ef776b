using Research.Experiments.Cli;

namespace Research.Experiments.Tests.Cli;

public sealed class CompareLstmCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CommandLineApp.Run(Program.Commands, args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Float64ParityPassesAndPrintsEveryDifference()
    {
        var json = Path.Combine(Path.GetTempPath(), $"compare-{Guid.NewGuid():N}.json");
        var (code, stdout, stderr) = Run("compare-lstm", "--dtype", "float64", "--hidden", "9", "--input", "4", "--layers", "2",
            "--seq", "6", "--batch", "3", "--repeats", "2", "--warmup", "1", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("parity: PASS", stdout, StringComparison.Ordinal);
        foreach (var quantity in new[] { "output", "h_n", "c_n", "grad input", "grad h0", "grad c0", "grad weight_ih_l1", "grad bias_hh_l1" })
            Assert.Contains($"| {quantity} ", stdout, StringComparison.Ordinal);
        Assert.Contains("\"explicit_to_torch_train_ratio\"", File.ReadAllText(json), StringComparison.Ordinal);
        File.Delete(json);
    }

    [Theory]
    [InlineData("unknown option --hiden (did you mean --hidden?)", "compare-lstm", "--hiden", "3")]
    [InlineData("--hidden must be at least 1, got 0", "compare-lstm", "--hidden", "0")]
    [InlineData("unknown dtype 'float16' (use float32 or float64)", "compare-lstm", "--dtype", "float16")]
    [InlineData("--seq must be an integer, got 'ten'", "compare-lstm", "--seq", "ten")]
    [InlineData("--batch needs a value", "compare-lstm", "--batch")]
    [InlineData("unknown device 'tpu' (use cpu, cuda or cuda:N)", "compare-lstm", "--device", "tpu")]
    public void BadArgumentsGiveOneLineAndExitCode2(string message, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal($"research compare-lstm: error: {message}\n", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(stdout);
    }

    [Fact]
    public void UnknownCommandSuggestsTheNearestVerb()
    {
        var (code, _, stderr) = Run("compare-lst");
        Assert.Equal(2, code);
        Assert.Contains("did you mean compare-lstm?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpListsTheVerbsAndTheirOptions()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("compare-lstm", stdout, StringComparison.Ordinal);
        var (optionsCode, options, _) = Run("compare-lstm", "--help");
        Assert.Equal(0, optionsCode);
        Assert.Contains("--batch-first", options, StringComparison.Ordinal);
    }
}
