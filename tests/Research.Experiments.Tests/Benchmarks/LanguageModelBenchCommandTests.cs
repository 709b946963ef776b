using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Benchmarks;

/// <summary>
/// `bench lm` end to end on the real PTB, two steps per core: the report holds the throughput table with every core
/// row and the middle half of each ratio's rounds, the step anatomy and the loss table, and its JSON the same; without
/// --rounds the cores take turns step by step. (A dry run of the command, not a measurement.)
/// </summary>
public sealed class LanguageModelBenchCommandTests
{
    [Fact]
    public void ATwoStepRunWritesAllThreeTables()
    {
        var written = BenchReport.Run("lm", "--models", "small", "--steps", "2", "--warmup", "1", "--warmup-seconds", "0", "--data-dir", TinyRuns.SharedData, "--force");
        foreach (var row in new[] { "| small | lstm (auto) ", "lstm (auto), libtorch cross-entropy", "torch nn.LSTM", "softmax + cross-entropy", "fused / libtorch", "[400, 10000]" })
            Assert.Contains(row, written.Markdown, StringComparison.Ordinal);
        // Without --rounds every step is its own round: the cores take turns step by step.
        Assert.Contains("--steps 2 --warmup 1 --warmup-seconds 0 --rounds 2", written.Markdown, StringComparison.Ordinal);
        Assert.Contains("\"fused_to_libtorch\"", written.Json, StringComparison.Ordinal);
        // Beside each ratio, the middle half of the rounds' ratios; nn.LSTM's own are all 1.
        Assert.Contains("| ratio, middle half of rounds |", written.Markdown, StringComparison.Ordinal);
        Assert.Contains(written.Markdown.Split('\n'), line => line.StartsWith("| small | torch nn.LSTM", StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.Replace(line, " +", " ").EndsWith("| 1.00 | 1.00–1.00 |", StringComparison.Ordinal));
        Assert.Contains("\"tokens_per_second_ratio_quartiles\"", written.Json, StringComparison.Ordinal);
        Assert.Contains("fused / libtorch", written.Stdout, StringComparison.Ordinal);
    }
}
