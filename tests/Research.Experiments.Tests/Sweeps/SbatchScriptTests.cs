using Research.Experiments.Sweeps;

namespace Research.Experiments.Tests.Sweeps;

/// <summary>The Slurm launcher's job-array script, as text: array of the pending trials with %K, resources, absolute paths.</summary>
public sealed class SbatchScriptTests
{
    [Fact]
    public void ArraySpecCompressesRunsOfIds()
    {
        Assert.Equal("0-3", SbatchScript.ArraySpec([0, 1, 2, 3]));
        Assert.Equal("0,2-4,7,9-10", SbatchScript.ArraySpec([10, 0, 2, 3, 4, 7, 9]));
        Assert.Equal("5", SbatchScript.ArraySpec([5]));
    }

    [Fact]
    public void TheScriptRunsOneTrialPerArrayTaskWithTheSweepsResources()
    {
        var text = SbatchScript.Text("sweep-jsb-cells", [0, 1, 2, 5], new SlurmResources { Partition = "cpu", Time = "02:00:00", CpusPerTask = 2, Mem = "4G", MaxParallel = 3, Extra = ["--qos=short"] },
            "/shared/runs/sweeps/jsb-cells", "/usr/share/dotnet/dotnet", "/shared/research/experiments/bin/Release/net10.0/research.dll", "/shared/data");
        Assert.Equal("""
            #!/bin/bash
            #SBATCH --job-name=sweep-jsb-cells
            #SBATCH --array=0-2,5%3
            #SBATCH --cpus-per-task=2
            #SBATCH --time=02:00:00
            #SBATCH --mem=4G
            #SBATCH --partition=cpu
            #SBATCH --output=/shared/runs/sweeps/jsb-cells/slurm/%A_%a.out
            #SBATCH --chdir=/shared/runs/sweeps/jsb-cells
            #SBATCH --qos=short
            set -euo pipefail
            export RESEARCH_DATA_DIR=/shared/data
            exec /usr/share/dotnet/dotnet /shared/research/experiments/bin/Release/net10.0/research.dll train --sweep /shared/runs/sweeps/jsb-cells --trial "$SLURM_ARRAY_TASK_ID" "threads=${SLURM_CPUS_PER_TASK:-1}"

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void UnsetResourcesAreLeftToTheClusterAndOddPathsAreQuoted()
    {
        var text = SbatchScript.Text("sweep-x", [0, 1], new SlurmResources(), "/tmp/my sweep", "dotnet", "/opt/r/research.dll", null);
        Assert.Contains("#SBATCH --array=0-1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--time", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--partition", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RESEARCH_DATA_DIR", text, StringComparison.Ordinal);
        Assert.Contains("--sweep '/tmp/my sweep' --trial", text, StringComparison.Ordinal);
    }
}
