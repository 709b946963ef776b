using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Benchmarks;

/// <summary>A `research bench` command run in process with --out in a temporary folder: its report, JSON and console.</summary>
internal static class BenchReport
{
    public sealed record Written(string Markdown, string Json, string Stdout);

    /// <summary>Runs <c>research bench</c> with <paramref name="args"/> and --out, asserts exit 0, and returns what it wrote.</summary>
    public static Written Run(params string[] args)
    {
        var folder = Directory.CreateTempSubdirectory("bench-");
        try
        {
            var report = Path.Combine(folder.FullName, "report.md");
            var (code, stdout, stderr) = TinyRuns.InProcess(["bench", .. args, "--out", report]);
            Assert.True(code == 0, stderr);
            return new Written(File.ReadAllText(report), File.ReadAllText(Path.ChangeExtension(report, ".json")), stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
