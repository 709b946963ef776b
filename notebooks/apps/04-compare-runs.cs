// 04 · Compare finished runs: notebooks/04-compare-runs.ipynb as a .NET 10 file-based app. Generated from the notebook by
// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:
//   dotnet run notebooks/apps/04-compare-runs.cs          (figures: runs/apps/04-compare-runs/)
#:project ../../experiments/Research.Experiments.csproj
#:property PublishAot=false

using System.IO;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using Research.Experiments.Reproduction;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using ScottPlot;
using static Research.Experiments.Notebooks.FileApp;

// # 04 · Compare finished runs
//
// Loads run folders (`runs/<experiment>/<id>/`), plots their validation curves together and tabulates their best
// results; then prints the reproduction table that `research reproduce --list` shows (from `configs/repro/` and the
// records in `docs/results/`). Without any finished run (a fresh clone), it first trains two tiny ones on the
// built-in Markov source, the explicit LSTM against `nn.LSTM`, so that there is something to compare.

FileApp.Start("04-compare-runs", () => Console.Out, () => Console.Error);

// Defaults for a run in VS Code or Jupyter. A headless run may override each one with $RESEARCH_NB_<name>.
// runFolders: run folders separated by ';' (empty: the newest finished runs under runsDir, runs/ when empty).

string runFolders = Notebook.Parameter("runFolders", "");
string runsDir = Notebook.Parameter("runsDir", "");
int maxRuns = Notebook.Parameter("maxRuns", 6);
int fallbackEpochs = Notebook.Parameter("fallbackEpochs", 3);

var runs = Notebook.RunsDirectory(runsDir);
bool Finished(string dir) => File.Exists(Path.Combine(dir, "summary.json")) && File.Exists(Path.Combine(dir, "metrics.csv"));
var folders = runFolders.Length > 0
    ? runFolders.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath).ToList()
    : Directory.Exists(runs)
        ? Directory.GetDirectories(runs).SelectMany(Directory.GetDirectories).Where(Finished)
            .OrderByDescending(Directory.GetLastWriteTimeUtc).Take(maxRuns).ToList()
        : new List<string>();
if (folders.Count == 0)
{
    Console.WriteLine("no finished runs yet: training two tiny ones (explicit LSTM and nn.LSTM) on the Markov source");
    foreach (var backend in new[] { "auto", "torch" })
    {
        var loaded = ConfigLoader.Load<ExperimentSettings>(Path.Combine(Notebook.RepositoryRoot, "configs", "quickstart.yaml"),
            [$"model.backend={backend}", $"train.epochs={fallbackEpochs}", "data.train_tokens=20000", "data.eval_tokens=4000", $"experiment=notebook-compare-{backend}"]);
        var trained = ExperimentRunner.Train(loaded, runs, "notebooks/04-compare-runs.ipynb", Notebook.Output);
        if (trained.ExitCode != 0)
            throw new InvalidOperationException($"the {backend} run failed with exit code {trained.ExitCode}");
        folders.Add(trained.Run.Path);
    }
}
Console.WriteLine($"{folders.Count} runs:");
foreach (var folder in folders)
    Console.WriteLine("  " + Notebook.Shown(folder));

// ## Validation curves, together

var curves = new Plot();
var best = new MarkdownTable("run", "task", "epochs", "best valid loss", "final train loss");
foreach (var folder in folders)
{
    var records = MetricsCsvReader.Read(Path.Combine(folder, "metrics.csv"));
    var valid = records.Where(r => r.Split == "valid" && r.Name == "loss").OrderBy(r => r.Epoch).ToList();
    var train = records.Where(r => r.Split == "train" && r.Name == "loss").OrderBy(r => r.Epoch).ToList();
    var label = $"{Path.GetFileName(Path.GetDirectoryName(folder))}/{Path.GetFileName(folder)}";
    if (valid.Count > 0)
        curves.Add.Scatter(valid.Select(r => (double)r.Epoch).ToArray(), valid.Select(r => r.Value).ToArray()).LegendText = label;
    var task = ConfigLoader.Load<ExperimentSettings>(Path.Combine(folder, "config.yaml")).Value.Task;
    best.Add(label, task.ToString(), valid.Count.ToString(),
        valid.Count > 0 ? valid.Min(r => r.Value).ToString("F4") : "-", train.Count > 0 ? train[^1].Value.ToString("F4") : "-");
}
curves.Title("validation loss per epoch");
curves.XLabel("epoch");
curves.YLabel("loss");
curves.ShowLegend();
display(curves);
display(best);

// ## The reproduction table
//
// Every published setting in `configs/repro/` beside its recorded result (`docs/results/`), as `research reproduce --list`
// shows it and `docs/results.md` records it.

var entries = ReproductionCatalog.Load(Path.Combine(Notebook.RepositoryRoot, ReproductionCatalog.DefaultDirectory));
var recordsDir = Path.Combine(Notebook.RepositoryRoot, "docs", ResultsReport.RecordsFolder);
display(new Markdown(ResultsReport.Render(entries, name => ReproductionRecord.TryRead(recordsDir, name))));
