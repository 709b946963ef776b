using Research.Experiments.Reporting;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// Whether a benchmark may write its report: a contended run's numbers are not results, so its report (under docs/,
/// by default) is kept as it was unless `--force` asks otherwise. Either way the console says which it was and why.
/// </summary>
public static class ReportGate
{
    public static bool MayWrite(DisturbanceVerdict verdict, bool force, string path, TextWriter stdout)
    {
        if (!verdict.Contended)
            return true;
        stdout.WriteLine(force
            ? $"contended run: writing {path} anyway (--force); the report says it was contended"
            : $"contended run: {path} not written (its numbers would not be results); rerun on a quiet machine, or pass --force");
        return force;
    }
}
