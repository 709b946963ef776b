using System.Text.RegularExpressions;
using Research.Models.Recurrent;

namespace Research.Experiments.Tests.Benchmarks;

/// <summary>
/// `bench lstm` end to end at two small sizes, one repeat: the report holds the time, GEMM, layer-GEMM, memory, split,
/// settings and one-step tables, and its JSON the layer GEMMs, the split and settings comparisons and the one-step calls. (A dry run of the command, not a measurement.)
/// </summary>
public sealed class LstmBenchCommandTests
{
    [Fact]
    public void AOneRepeatRunWritesEveryTable()
    {
        var written = BenchReport.Run("lstm", "--hidden", "16,400", "--repeats", "1", "--warmup", "1", "--warmup-seconds", "0", "--memory-steps", "10", "--memory-hidden", "16", "--force");
        foreach (var header in new[] { "| hidden | step ", "| kernel / nn, middle half of rounds |", "kernel forward step GFLOP/s", "live tensors before", "| product | shape ", "| dAᵀ·X ", "| split chosen |", "the choice was faster", "one-step call: auto µs" })
            Assert.Contains(header, written.Markdown, StringComparison.Ordinal);
        // One split row per size, naming the split the rule takes there (rows at 16; units at 400 wherever L2 < 3.4 MB).
        foreach (var hidden in new[] { 16, 400 })
        {
            var split = LstmStepKernel.SplitsRows(hidden, 20) ? "rows" : "units";
            Assert.Single(written.Markdown.Split('\n').Select(line => Regex.Replace(line, " +", " ")),
                line => line.StartsWith($"| {hidden} | 20 | {split} |", StringComparison.Ordinal));
        }
        // The chunk and thread comparisons at each size change how the sums are cut and shared, not their order.
        foreach (var hidden in new[] { 16, 400 })
        {
            foreach (var setting in new[] { "k-chunk | 24 KB", "threads | 1" })
            {
                var row = Assert.Single(written.Markdown.Split('\n').Select(line => Regex.Replace(line, " +", " ")),
                    line => line.StartsWith($"| {hidden} | 20 | {setting} |", StringComparison.Ordinal));
                Assert.EndsWith("| yes |", row, StringComparison.Ordinal);
            }
        }
        // The block sharing only where the units split runs: who runs a block changes nothing in its results.
        foreach (var hidden in new[] { 16, 400 })
        {
            var rows = written.Markdown.Split('\n').Select(line => Regex.Replace(line, " +", " "))
                .Where(line => line.StartsWith($"| {hidden} | 20 | blocks | static shares | stealing (default) |", StringComparison.Ordinal)).ToList();
            if (LstmStepKernel.SplitsRows(hidden, 20))
                Assert.Empty(rows);
            else
                Assert.EndsWith("| yes |", Assert.Single(rows), StringComparison.Ordinal);
        }
        Assert.Contains("\"kernel_split\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("\"kernel_settings\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("\"layer_gemms\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("\"one_step\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("\"kernel_train_ratio_quartiles\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("| split chosen |", written.Stdout, StringComparison.Ordinal);
    }
}
