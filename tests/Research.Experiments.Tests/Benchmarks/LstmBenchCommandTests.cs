using System.Text.RegularExpressions;
using Research.Experiments.Tests.Runs;
using Research.Models.Recurrent;

namespace Research.Experiments.Tests.Benchmarks;

/// <summary>
/// `bench lstm` end to end at two small sizes, one repeat: the report holds the time, GEMM, memory and split tables, and
/// its JSON the split comparison. (A dry run of the command, not a measurement.)
/// </summary>
public sealed class LstmBenchCommandTests
{
    [Fact]
    public void AOneRepeatRunWritesEveryTable()
    {
        var folder = Directory.CreateTempSubdirectory("bench-lstm-");
        try
        {
            var report = Path.Combine(folder.FullName, "bench.md");
            var (code, stdout, stderr) = TinyRuns.InProcess("bench", "lstm", "--hidden", "16,40", "--repeats", "1", "--warmup", "1",
                "--memory-steps", "10", "--memory-hidden", "16", "--out", report, "--force");
            Assert.True(code == 0, stderr);
            var text = File.ReadAllText(report);
            foreach (var header in new[] { "| hidden | step ", "kernel forward step GFLOP/s", "live tensors before", "| split chosen |", "the choice was faster" })
                Assert.Contains(header, text, StringComparison.Ordinal);
            // One split row per size, naming the split the rule takes there.
            foreach (var hidden in new[] { 16, 40 })
            {
                var split = LstmStepKernel.SplitsRows(hidden, 20) ? "rows" : "units";
                Assert.Single(text.Split('\n').Select(line => Regex.Replace(line, " +", " ")),
                    line => line.StartsWith($"| {hidden} | 20 | {split} |", StringComparison.Ordinal));
            }
            var json = File.ReadAllText(Path.ChangeExtension(report, ".json"));
            Assert.Contains("\"kernel_split\"", json, StringComparison.Ordinal);
            Assert.Contains("| split chosen |", stdout, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
