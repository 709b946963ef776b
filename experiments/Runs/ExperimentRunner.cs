using System.Globalization;
using System.Runtime.InteropServices;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Training;
using Research.Models.Recurrent;

namespace Research.Experiments.Runs;

/// <summary>What one training run left behind: its folder, what it reached (null when it diverged) and the exit code.</summary>
public sealed record RunResult(RunFolder Run, TrainingOutcome? Outcome, int ExitCode);

/// <summary>
/// One training run from a loaded config, as `research train` and `research reproduce` both make it: build the
/// experiment (bad data or config fail here, before any folder exists), create the run folder, train, test the best
/// checkpoint, write plots and summary.json, and say where everything is.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>How often a run goes back to the same checkpoint after libtorch errors before giving up.</summary>
    public const int MaxLibTorchRetries = 3;

    /// <param name="command">The command line recorded in summary.json.</param>
    /// <param name="run">The folder of an interrupted run to continue (with <paramref name="resumeFrom"/>), an empty folder
    /// for a new run (<see cref="RunFolder.CreateAt"/>), or null for a new folder under <paramref name="runsDir"/>.</param>
    public static RunResult Train(LoadedConfig<ExperimentSettings> loaded, string runsDir, string command, CommandContext io,
        RunFolder? run = null, CheckpointMeta? resumeFrom = null)
    {
        var settings = loaded.Value;
        var built = ExperimentBuilder.Build(settings);
        var started = DateTime.UtcNow;
        if (resumeFrom is null)
        {
            run ??= RunFolder.Create(runsDir, settings.Experiment);
            loaded.WriteTo(run.Path);
            if (built.Corpus is { } corpus)
                ExperimentBuilder.WriteVocabulary(run.Vocabulary, corpus.Vocabulary);
        }
        else if (run is null)
        {
            throw new ArgumentException("resuming needs the run's folder", nameof(run));
        }
        io.Out.WriteLine(resumeFrom is null
            ? $"run folder: {run.Path}"
            : $"resuming {run.Path} after epoch {resumeFrom.Epoch} (step {resumeFrom.Step})");
        var backend = RecurrentBackend.Of(built.Task.Model);
        io.Out.WriteLine($"recurrent backend: {backend}");

        TrainingOutcome outcome;
        var resuming = resumeFrom is not null;
        var resumeStep = resumeFrom?.Step;
        var retries = new LibTorchRetries(MaxLibTorchRetries);
        while (true)
        {
            using var sink = RunFolderMetrics.Open(run.Path, resumeStep);
            using var progress = ConsoleProgress.Create(io.Out);
            var trainer = new Trainer(built.Task, settings.Train, sink, progress,
                new CheckpointPaths(run.LastCheckpoint, run.BestCheckpoint), loaded.ResolvedYaml);
            try
            {
                outcome = trainer.Fit(resume: resuming);
                break;
            }
            catch (TrainingDivergedException e)
            {
                sink.Flush();
                RunSummary.Write(run, "diverged", command, started, null, built.Provenance, settings.Reference, settings.Device, backend, retries.History, e.Message);
                io.Error.WriteLine($"research train: {e.Message}");
                return new RunResult(run, null, 1);
            }
            catch (ExternalException e) when (File.Exists(run.LastCheckpoint)
                && retries.TryRetry(Checkpoint.ReadMeta(run.LastCheckpoint).Epoch, e.Message.Split('\n')[0].Trim()))
            {
                // A backstop: the project's own code hands libtorch no Scalar the GC can free, so an error here is new.
                // The last checkpoint is intact: go on from it, and record the retry in summary.json.
                sink.Flush();
                var meta = Checkpoint.ReadMeta(run.LastCheckpoint);
                io.Error.WriteLine($"research train: libtorch error ({e.Message.Split('\n')[0].Trim()}); "
                    + $"resuming from the checkpoint of epoch {meta.Epoch} (retry {retries.Count} of {retries.Max} from it)");
                (resuming, resumeStep) = (true, meta.Step);
            }
        }

        var plots = LearningCurvePlot.WriteFromCsv(run.MetricsCsv, run.Plots).Count;
        if (built.Task is ForecastTask forecaster)
        {
            // The trainer left the best checkpoint loaded: plot its forecasts tiling the test split.
            var horizon = forecaster.Data.Horizon;
            var points = RollingBacktest.Run(forecaster, Data.TimeSeries.SplitPart.Test, horizon, horizon, settings.Train.EvalBatchSize, built.Device, built.Dtype);
            RollingBacktest.WritePlot(Path.Combine(run.Plots, "forecast-test.png"), points, $"{settings.Experiment}: test split, horizon {horizon}");
            plots++;
        }
        RunSummary.Write(run, "finished", command, started, outcome, built.Provenance, settings.Reference, settings.Device, backend, retries.History);
        Report(io.Out, run, outcome, built.Provenance, plots);
        return new RunResult(run, outcome, 0);
    }

    private static void Report(TextWriter stdout, RunFolder run, TrainingOutcome outcome, DataProvenance provenance, int plots)
    {
        string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
        stdout.WriteLine();
        stdout.WriteLine($"finished {outcome.EpochsRun} epochs, {outcome.Steps} steps in {outcome.WallSeconds:F1} s; best epoch {outcome.BestEpoch}");
        stdout.WriteLine(outcome.Test.Count > 0
            ? "test (best checkpoint): " + string.Join(", ", outcome.Test.Select(kv => $"{kv.Key} {F(kv.Value)}"))
            : "no held-out split: last epoch's training " + string.Join(", ", outcome.LastTrain.Select(kv => $"{kv.Key} {F(kv.Value)}")));
        if (provenance.Facts.TryGetValue("entropy_rate_nats", out var entropy) && outcome.Test.TryGetValue("loss", out var loss))
            stdout.WriteLine($"the source's true entropy rate is {F(entropy)} nats/token: the model's test loss is {F(loss - entropy)} nats above it "
                + $"(perplexity {F(Math.Exp(loss))} vs the best possible {F(Math.Exp(entropy))})");
        stdout.WriteLine($"run folder:  {run.Path}");
        stdout.WriteLine($"plots:       {run.Plots} ({plots} PNG)");
        stdout.WriteLine($"metrics:     {run.MetricsCsv}");
        stdout.WriteLine($"tensorboard: tensorboard --logdir {System.IO.Path.GetDirectoryName(run.Path)}");
        stdout.WriteLine($"summary:     {run.Summary}");
    }
}
