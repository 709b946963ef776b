using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Experiments.Reporting;
using Research.Experiments.Training;

namespace Research.Experiments.Runs;

/// <summary>summary.json: what a run reached and everything needed to say how (written atomically at the end).</summary>
public static class RunSummary
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(RunFolder run, string status, string command, DateTime startedUtc, TrainingOutcome? outcome,
        DataProvenance provenance, Settings.ReferenceSettings reference, string device, string recurrentBackend, IReadOnlyList<LibTorchRetry> retries,
        string? error = null)
    {
        var summary = new Dictionary<string, object?>
        {
            ["status"] = status,
            ["error"] = error,
            ["run"] = run.Id,
            ["command"] = command,
            ["started_utc"] = startedUtc.ToString("o", CultureInfo.InvariantCulture),
            ["finished_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["wall_seconds"] = outcome?.WallSeconds,
            ["epochs"] = outcome?.EpochsRun,
            ["steps"] = outcome?.Steps,
            ["best_epoch"] = outcome?.BestEpoch,
            ["stopped_early"] = outcome?.StoppedEarly,
            ["recurrent_backend"] = recurrentBackend,
            ["libtorch_retries"] = retries.Count,
            ["libtorch_errors"] = retries.Select(r => new Dictionary<string, object> { ["from_epoch"] = r.FromEpoch, ["error"] = r.Error }).ToList(),
            ["gc_stress_cycles"] = outcome?.GcStressCycles,
            ["best_valid"] = outcome?.BestValid,
            ["test"] = outcome?.Test,
            ["train"] = outcome?.LastTrain,
            ["reference"] = reference,
            ["dataset"] = provenance.Dataset,
            ["dataset_source"] = provenance.Kind,
            ["dataset_files"] = provenance.Files.Select(f => new { f.Path, f.Sha256, f.Bytes }).ToList(),
            ["dataset_facts"] = provenance.Facts,
            ["machine"] = MachineInfo.Current(device),
            ["git_commit"] = GitCommit(),
        };
        var tmp = run.Summary + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(summary, Options));
        File.Move(tmp, run.Summary, overwrite: true);
    }

    /// <summary>A number in summary.json by its dotted path (test.perplexity, best_valid.loss); null when absent or not a number.</summary>
    public static double? Metric(JsonObject summary, string dotted)
    {
        JsonNode? node = summary;
        foreach (var part in dotted.Split('.'))
            node = node is JsonObject o ? o[part] : null;
        return node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }

    /// <summary>The commit of the working tree the tool was started from, with "+dirty" for local changes.</summary>
    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "describe --always --dirty --abbrev=12")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            });
            if (git is null)
                return "unknown";
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && text.Length > 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
