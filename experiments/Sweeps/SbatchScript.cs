using System.Globalization;
using System.Text;

namespace Research.Experiments.Sweeps;

/// <summary>
/// The job-array script of the Slurm launcher: one array task per trial still to run (its manifest id is the array
/// index), each running `research train --sweep DIR --trial $SLURM_ARRAY_TASK_ID threads=$SLURM_CPUS_PER_TASK`.
/// Every path is absolute: the nodes must see the repository build, the data and the sweep folder at the same paths.
/// </summary>
public static class SbatchScript
{
    public static string Text(string jobName, IReadOnlyList<int> trials, SlurmResources resources, string sweepDir, string dotnet, string dll,
        string? dataDir)
    {
        var script = new StringBuilder();
        void Line(string text) => script.Append(text).Append('\n');
        Line("#!/bin/bash");
        Line($"#SBATCH --job-name={jobName}");
        Line($"#SBATCH --array={ArraySpec(trials)}{(resources.MaxParallel is { } k ? $"%{k}" : "")}");
        Line($"#SBATCH --cpus-per-task={resources.CpusPerTask}");
        if (resources.Time is { } time)
            Line($"#SBATCH --time={time}");
        if (resources.Mem is { } mem)
            Line($"#SBATCH --mem={mem}");
        if (resources.Partition is { } partition)
            Line($"#SBATCH --partition={partition}");
        Line($"#SBATCH --output={Path.Combine(sweepDir, "slurm", "%A_%a.out")}");
        Line($"#SBATCH --chdir={sweepDir}");
        foreach (var extra in resources.Extra)
            Line($"#SBATCH {extra}");
        Line("set -euo pipefail");
        if (dataDir is not null)
            Line($"export RESEARCH_DATA_DIR={Quote(dataDir)}");
        Line($"exec {Quote(dotnet)} {Quote(dll)} train --sweep {Quote(sweepDir)} --trial \"$SLURM_ARRAY_TASK_ID\" \"threads=${{SLURM_CPUS_PER_TASK:-1}}\"");
        return script.ToString();
    }

    /// <summary>Array indices as Slurm writes them: runs of consecutive ids as ranges, `0-3,5,7-9`.</summary>
    public static string ArraySpec(IReadOnlyList<int> ids)
    {
        var sorted = ids.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var k = 0; k < sorted.Count;)
        {
            var end = k;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
                end++;
            parts.Add(end == k
                ? sorted[k].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{sorted[k]}-{sorted[end]}"));
            k = end + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>Single quotes for the shell, unless the text is plainly safe.</summary>
    private static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '+' or ':' or '=')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
