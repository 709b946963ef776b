using System.Text.Json;
using System.Text.RegularExpressions;
using Research.Experiments.Tests.Runs;
using Research.Models.Recurrent;

namespace Research.Experiments.Tests.Benchmarks;

/// <summary>
/// `bench builds` end to end with this build on both sides, at a tiny size and two pairs: every part is timed, and two
/// copies of one build give equal results bit for bit (a dry run of the command, not a measurement). Bad paths and
/// names are one-line errors with exit code 2.
/// </summary>
public sealed class BuildsBenchCommandTests
{
    private static readonly string ThisBuild = typeof(RecurrentStack).Assembly.Location;

    [Fact]
    public void TheSameBuildOnBothSidesGivesEqualResultsInEveryPart()
    {
        var parts = LstmStepKernel.IsSupported ? "train,infer,forward-steps,backward-steps,pack" : "train,infer";
        var written = BenchReport.Run("builds", "--old", ThisBuild, "--new", Path.GetDirectoryName(ThisBuild)!, "--parts", parts,
            "--hidden", "24", "--batch", "3", "--seq", "4", "--pairs", "2", "--warmup-seconds", "0", "--force");
        var rows = written.Markdown.Split('\n').Select(line => Regex.Replace(line, " +", " ")).ToList();
        foreach (var part in parts.Split(','))
        {
            var row = Assert.Single(rows, line => line.StartsWith($"| {part} | 24 |", StringComparison.Ordinal));
            Assert.EndsWith("| 0 (equal bit for bit) |", row, StringComparison.Ordinal);
        }
        using var json = JsonDocument.Parse(written.Json);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(parts.Split(',').Length, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.Equal(0, r.GetProperty("max_difference").GetDouble()));
        Assert.Equal(ThisBuild, json.RootElement.GetProperty("old_build").GetString());
        // The disturbance check as every bench records it: a sample as each part's pairs start and one as they end.
        var disturbance = json.RootElement.GetProperty("disturbance");
        Assert.Equal(2 * parts.Split(',').Length, disturbance.GetProperty("reference_ms").GetArrayLength());
        Assert.True(disturbance.GetProperty("retakes").GetInt32() >= 0);
        Assert.Contains("| new / old |", written.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ColdCallsFlushBetweenTheForwardAndTheBackwardAndSaySo()
    {
        var written = BenchReport.Run("builds", "--old", ThisBuild, "--new", ThisBuild, "--parts", "train", "--cold-mb", "1",
            "--hidden", "24", "--batch", "3", "--seq", "4", "--pairs", "2", "--warmup-seconds", "0", "--force");
        Assert.Contains("with 1 MB written (untimed) before each call and between a train part's forward and backward", written.Markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(written.Json);
        Assert.Equal(1, json.RootElement.GetProperty("cold_mb").GetInt32());
        var result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(0, result.GetProperty("max_difference").GetDouble());
    }

    [Theory]
    [InlineData("--old is required", "--new", "X")]
    [InlineData("no such file", "--old", "/nonexistent/models", "--new", "/nonexistent/models")]
    [InlineData("--parts takes train, infer, forward-steps, backward-steps, pack, got 'fwd'", "--old", "OWN", "--new", "OWN", "--parts", "fwd")]
    [InlineData("--backend takes", "--old", "OWN", "--new", "OWN", "--backend", "fastest")]
    [InlineData("holds research, not Research.Models", "--old", "EXPERIMENTS", "--new", "OWN")]
    [InlineData("--cold-mb", "--old", "OWN", "--new", "OWN", "--cold-mb", "-1")]
    public void BadInputIsOneLineAndExitCode2(string message, params string[] args)
    {
        var experiments = typeof(Research.Experiments.Benchmarks.BuildComparison).Assembly.Location;
        var resolved = args.Select(a => a switch { "OWN" => ThisBuild, "EXPERIMENTS" => experiments, _ => a }).ToArray();
        var (code, stdout, stderr) = TinyRuns.InProcess(["bench", "builds", .. resolved]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }
}
