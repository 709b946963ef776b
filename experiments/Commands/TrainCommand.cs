using System.Globalization;
using Research.Experiments.Checkpoints;
using Research.Experiments.Cli;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Experiments.Training;

namespace Research.Experiments.Commands;

/// <summary>
/// `research train CONFIG [key=value ...]` or `research train --resume RUN`: builds the experiment (bad data or config
/// fail here, before any folder exists), creates the run folder, trains, tests the best checkpoint, writes plots and
/// summary.json, and says where everything is.
/// </summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";

    public string Summary => "train an experiment from a config file (key.sub=value overrides) or resume a run";

    public string Usage => "CONFIG [key.sub=value ...] | --resume RUN";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("resume", "continue the run in this folder from its last checkpoint"),
        new("runs-dir", "folder for run folders (overrides the config's runs_dir)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        var resumePath = args.OptionalString("resume");
        LoadedConfig<ExperimentSettings> loaded;
        RunFolder? run = null;
        CheckpointMeta? resumeFrom = null;
        if (resumePath is not null)
        {
            if (args.Positional.Count > 0)
                throw new UsageException("--resume takes the run's own config; give no config file or overrides");
            run = RunFolder.Open(resumePath);
            if (!File.Exists(run.LastCheckpoint))
                throw new UsageException($"{resumePath} has no checkpoint to resume from ({run.LastCheckpoint})");
            loaded = ConfigLoader.Load<ExperimentSettings>(run.Config);
            resumeFrom = Checkpoint.ReadMeta(run.LastCheckpoint);
        }
        else
        {
            if (args.Positional.Count == 0)
                throw new UsageException("give a config file, e.g. research train configs/quickstart.yaml");
            var overrides = args.Positional.Skip(1).ToList();
            var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
            if (bad is not null)
                throw new UsageException($"'{bad}' is not an override: write key.sub=value");
            loaded = ConfigLoader.Load<ExperimentSettings>(args.Positional[0], overrides);
        }

        var settings = loaded.Value;
        var runsDir = args.OptionalString("runs-dir") ?? settings.RunsDir;
        var built = ExperimentBuilder.Build(settings);
        var started = DateTime.UtcNow;
        if (run is null)
        {
            run = RunFolder.Create(runsDir, settings.Experiment);
            loaded.WriteTo(run.Path);
            if (built.Corpus is { } corpus)
                ExperimentBuilder.WriteVocabulary(run.Vocabulary, corpus.Vocabulary);
        }
        stdout.WriteLine(resumeFrom is null
            ? $"run folder: {run.Path}"
            : $"resuming {run.Path} after epoch {resumeFrom.Epoch} (step {resumeFrom.Step})");
        var command = "research " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

        TrainingOutcome outcome;
        using (var sink = RunFolderMetrics.Open(run.Path, resumeFrom?.Step))
        using (var progress = ConsoleProgress.Create())
        {
            var trainer = new Trainer(built.Task, settings.Train, sink, progress,
                new CheckpointPaths(run.LastCheckpoint, run.BestCheckpoint), loaded.ResolvedYaml);
            try
            {
                outcome = trainer.Fit(resume: resumeFrom is not null);
            }
            catch (TrainingDivergedException e)
            {
                sink.Flush();
                RunSummary.Write(run, "diverged", command, started, null, built.Provenance, settings.Reference, settings.Device, e.Message);
                Console.Error.WriteLine($"research train: {e.Message}");
                return 1;
            }
        }

        var plots = LearningCurvePlot.WriteFromCsv(run.MetricsCsv, run.Plots).Count;
        if (built.Task is ForecastTask forecaster)
        {
            // The trainer left the best checkpoint loaded: plot its forecasts tiling the test split.
            var horizon = settings.Data.Horizon;
            var points = RollingBacktest.Run(forecaster, Data.TimeSeries.SplitPart.Test, horizon, horizon, settings.Train.EvalBatchSize, built.Device, built.Dtype);
            RollingBacktest.WritePlot(Path.Combine(run.Plots, "forecast-test.png"), points, $"{settings.Experiment}: test split, horizon {horizon}");
            plots++;
        }
        RunSummary.Write(run, "finished", command, started, outcome, built.Provenance, settings.Reference, settings.Device);
        Report(stdout, run, outcome, built.Provenance, plots);
        return 0;
    }

    private static void Report(TextWriter stdout, RunFolder run, TrainingOutcome outcome, DataProvenance provenance, int plots)
    {
        string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
        stdout.WriteLine();
        stdout.WriteLine($"finished {outcome.EpochsRun} epochs, {outcome.Steps} steps in {outcome.WallSeconds:F1} s; best epoch {outcome.BestEpoch}");
        stdout.WriteLine("test (best checkpoint): " + string.Join(", ", outcome.Test.Select(kv => $"{kv.Key} {F(kv.Value)}")));
        if (provenance.Facts.TryGetValue("entropy_rate_nats", out var entropy) && outcome.Test.TryGetValue("loss", out var loss))
            stdout.WriteLine($"the source's true entropy rate is {F(entropy)} nats/token: the model's test loss is {F(loss - entropy)} nats above it "
                + $"(perplexity {F(Math.Exp(loss))} vs the best possible {F(Math.Exp(entropy))})");
        stdout.WriteLine($"run folder:  {run.Path}");
        stdout.WriteLine($"plots:       {run.Plots} ({plots} PNG)");
        stdout.WriteLine($"metrics:     {run.MetricsCsv}");
        stdout.WriteLine($"tensorboard: tensorboard --logdir {Path.GetDirectoryName(run.Path)}");
        stdout.WriteLine($"summary:     {run.Summary}");
    }
}
