using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Experiments.Runs;

namespace Research.Experiments.Sweeps;

/// <summary>Where a trial stands, read from its folder alone (so a local worker, a Slurm task or a later `--status` agree).</summary>
public enum TrialState
{
    /// <summary>No folder: never started.</summary>
    Missing,

    /// <summary>A folder without summary.json or failure note: killed mid-run (or running right now).</summary>
    Interrupted,

    /// <summary>The trial process stopped on an error (failure.txt says which).</summary>
    Failed,

    /// <summary>Training diverged: summary.json says so. A result, not rerun: the same seed would diverge again.</summary>
    Diverged,

    /// <summary>summary.json with status finished.</summary>
    Finished,
}

/// <summary>A trial's state and, once finished, its summary.json (for the metric and wall time).</summary>
public sealed record TrialStatus(TrialState State, JsonObject? Summary, string? Error)
{
    /// <summary>Written by the trial process when it stops on an error, so a failure is told apart from a kill.</summary>
    public const string FailureFileName = "failure.txt";

    /// <summary>Finished and diverged trials are done: a re-run of the sweep leaves them alone.</summary>
    public bool IsDone => State is TrialState.Finished or TrialState.Diverged;

    public static TrialStatus Of(string trialFolder)
    {
        if (!Directory.Exists(trialFolder))
            return new(TrialState.Missing, null, null);
        var summaryPath = Path.Combine(trialFolder, "summary.json");
        if (File.Exists(summaryPath))
        {
            JsonObject? summary;
            try
            {
                summary = JsonNode.Parse(File.ReadAllText(summaryPath))?.AsObject();
            }
            catch (JsonException e)
            {
                return new(TrialState.Failed, null, $"unreadable summary.json: {e.Message}");
            }
            var status = summary?["status"]?.GetValue<string>();
            return status switch
            {
                "finished" => new(TrialState.Finished, summary, null),
                "diverged" => new(TrialState.Diverged, summary, summary?["error"]?.GetValue<string>()),
                _ => new(TrialState.Failed, summary, $"summary.json status '{status}'"),
            };
        }
        var failure = Path.Combine(trialFolder, FailureFileName);
        return File.Exists(failure)
            ? new(TrialState.Failed, null, File.ReadAllText(failure).Trim())
            : new(TrialState.Interrupted, null, null);
    }

    /// <summary>The metric at its dotted path in summary.json (finished trials only), via the reader `research reproduce` uses.</summary>
    public double? Metric(string path) => State == TrialState.Finished && Summary is not null ? RunSummary.Metric(Summary, path) : null;

    public double? WallSeconds => Summary is null ? null : RunSummary.Metric(Summary, "wall_seconds");

    public static string Label(TrialState state) => state.ToString().ToLowerInvariant();
}
