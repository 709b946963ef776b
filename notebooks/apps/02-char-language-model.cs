// 02 · A character language model on Tiny Shakespeare: notebooks/02-char-language-model.ipynb as a .NET 10 file-based app. Generated from the notebook by
// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:
//   dotnet run notebooks/apps/02-char-language-model.cs          (figures: runs/apps/02-char-language-model/)
#:project ../../experiments/Research.Experiments.csproj
#:property PublishAot=false

using Research.Experiments.Checkpoints;
using Research.Experiments.Config;
using Research.Experiments.Logging;
using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Models.Language;
using ScottPlot;
using TorchSharp;
using static Research.Experiments.Notebooks.FileApp;

// # 02 · A character language model on Tiny Shakespeare
//
// A small LSTM language model trained in this process for a bounded number of steps, through the same runner as
// `research train` (so the run folder, metrics and checkpoints are the usual ones); its learning curve; and text
// sampled from the best checkpoint at two temperatures. The budget here is minutes of CPU at most: the loss is far from
// converged, and the samples show it.

FileApp.Start("02-char-language-model", () => Console.Out, () => Console.Error);

// Defaults for a run in VS Code or Jupyter. A headless run may override each one with $RESEARCH_NB_<name>
// (scripts/notebooks.sh sets small ones in CI). runsDir empty: runs/ under the repository.

int maxSteps = Notebook.Parameter("maxSteps", 150);
int hiddenSize = Notebook.Parameter("hiddenSize", 128);
int bptt = Notebook.Parameter("bptt", 64);
int batchSize = Notebook.Parameter("batchSize", 32);
int sampleLength = Notebook.Parameter("sampleLength", 300);
string runsDir = Notebook.Parameter("runsDir", "");

// ## Training
//
// The config is the YAML a run folder records; `ExperimentRunner.Train` builds the data and the model from it, trains,
// tests the best checkpoint and writes the run folder, exactly as `research train` does.

var yaml = $"""
    experiment: notebook-char-lm
    task: language_model
    seed: 1
    data:
      name: tinyshakespeare
    model:
      embedding_size: 32
      hidden_size: {hiddenSize}
      layers: 1
    train:
      epochs: 1
      max_steps: {maxSteps}
      batch_size: {batchSize}
      eval_batch_size: 64
      bptt: {bptt}
      optimizer: adam
      lr: 0.003
      clip_norm: 1.0
      log_every: {Math.Max(1, maxSteps / 10)}
    """;
var loaded = ConfigLoader.LoadFromString<ExperimentSettings>(yaml, sourceName: "notebook 02");
var result = ExperimentRunner.Train(loaded, Notebook.RunsDirectory(runsDir), "notebooks/02-char-language-model.ipynb", Notebook.Output);
if (result.ExitCode != 0)
    throw new InvalidOperationException($"training failed with exit code {result.ExitCode}");
var run = result.Run;

// ## The learning curve

var records = MetricsCsvReader.Read(run.MetricsCsv);
var stepLoss = records.Where(r => r.Split == "train" && r.Name == "step_loss").OrderBy(r => r.Step).ToList();
var curve = new Plot();
curve.Add.Scatter(stepLoss.Select(r => (double)r.Step).ToArray(), stepLoss.Select(r => r.Value).ToArray()).LegendText = "train loss (per logged step)";
foreach (var v in records.Where(r => r.Split == "valid" && r.Name == "loss"))
    curve.Add.Marker(v.Step, v.Value, MarkerShape.FilledCircle, 10).LegendText = "validation loss";
curve.Title("Tiny Shakespeare, character LSTM");
curve.XLabel("step");
curve.YLabel("loss (nats per character)");
curve.ShowLegend();
display(curve);

var table = new MarkdownTable("split", "metric", "value");
foreach (var (name, value) in result.Outcome!.Test)
    table.Add("test", name, value.ToString("F4"));
display(table);

// ## Samples at two temperatures
//
// Below 1 the softmax is sharper (more common characters, more repetition), above 1 flatter (more surprises, more typos).

var vocabulary = ExperimentBuilder.ReadVocabulary(run.Vocabulary);
var model = new LanguageModel(LanguageModelTask.ModelOptions(loaded.Value.For<TextDataSettings, LanguageModelSettings>().Model, vocabulary.Count), torch.CPU, torch.ScalarType.Float32);
Checkpoint.Load(run.BestCheckpoint, model, optimizer: null);
var prompt = "ROMEO:\n".Select(ch => (long)vocabulary[ch.ToString()]).ToList();
foreach (var temperature in new[] { 0.5, 1.0 })
{
    using var generator = new torch.Generator(1, torch.CPU);
    var ids = TextSampler.Sample(model, prompt, sampleLength, temperature, topK: null, generator);
    Console.WriteLine($"--- temperature {temperature} ---");
    Console.WriteLine("ROMEO:\n" + string.Concat(ids.Select(id => vocabulary[(int)id])));
    Console.WriteLine();
}
