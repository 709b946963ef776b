// 01 · The LSTM, gate by gate: notebooks/01-lstm-gate-by-gate.ipynb as a .NET 10 file-based app. Generated from the notebook by
// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:
//   dotnet run notebooks/apps/01-lstm-gate-by-gate.cs          (figures: runs/apps/01-lstm-gate-by-gate/)
#:project ../../experiments/Research.Experiments.csproj
#:property PublishAot=false

using Research.Experiments.Notebooks;
using Research.Experiments.Reporting;
using Research.Models.Parity;
using Research.Models.Recurrent;
using ScottPlot;
using TorchSharp;
using static Research.Experiments.Notebooks.FileApp;
using static TorchSharp.torch;

// # 01 · The LSTM, gate by gate
//
// One step of the project's explicit LSTM (`src/Models/Recurrent/LstmCell.cs`), on a worked example small enough to read,
// then the same weights in TorchSharp's `nn.LSTM`, the parity table, and the gates over a whole sequence.
//
// With the parameter layout of PyTorch (`weight_ih` [4H, in], `weight_hh` [4H, H], gates stacked i, f, g, o):
//
// $$
// \begin{aligned}
// i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) && \text{input gate}\\
// f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) && \text{forget gate}\\
// g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) && \text{candidate cell}\\
// o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) && \text{output gate}\\
// c_t &= f_t \odot c_{t-1} + i_t \odot g_t\\
// h_t &= o_t \odot \tanh(c_t)
// \end{aligned}
// $$

FileApp.Start("01-lstm-gate-by-gate", () => Console.Out, () => Console.Error);

// Defaults for a run in VS Code or Jupyter. A headless run may override each one with $RESEARCH_NB_<name>
// (scripts/notebooks.sh runs this notebook with RESEARCH_NB_steps=12 in CI).

int steps = Notebook.Parameter("steps", 40);
long seed = Notebook.Parameter("seed", 7L);

torch.manual_seed(seed);
var cell = new LstmCell(inputSize: 3, hiddenSize: 2, dtype: ScalarType.Float64);
var parameters = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter);
foreach (var (name, parameter) in parameters)
    Console.WriteLine($"{name,-10} [{string.Join(", ", parameter.shape)}]");

// ## One step, every gate printed
//
// Input x = (1, −1, 0.5), previous state h = (0.1, −0.2), c = (0.5, −0.5). The pre-activations of all four gates come
// from one product each with `weight_ih` and `weight_hh`; the rows split into i, f, g, o.
//
// `a + b` on tensors would make TorchSharp create add's factor 1 as a temporary `Scalar` that the garbage collector may
// free while libtorch still reads it; the cells add with `a.add(b, one)` and an explicit `one` that lives as long as
// the notebook.

var one = 1.0.ToScalar();   // held by the notebook's state: add's factor, never a temporary
var x = tensor(new[] { 1.0, -1.0, 0.5 }).reshape(1, 3);
var h0 = tensor(new[] { 0.1, -0.2 }).reshape(1, 2);
var c0 = tensor(new[] { 0.5, -0.5 }).reshape(1, 2);

string Row(Tensor t) => string.Join("  ", t.reshape(-1).data<double>().ToArray().Select(v => v.ToString("+0.0000;-0.0000")));

var z = nn.functional.linear(x, parameters["weight_ih"], parameters["bias_ih"]).add(nn.functional.linear(h0, parameters["weight_hh"], parameters["bias_hh"]), one);
var zs = z.chunk(4, dim: 1);
var (i, f, g, o) = (sigmoid(zs[0]), sigmoid(zs[1]), tanh(zs[2]), sigmoid(zs[3]));
var c1 = (f * c0).add(i * g, one);   // c' = f⊙c + i⊙g
var h1 = o * tanh(c1);               // h' = o⊙tanh(c')
Console.WriteLine($"z_i = {Row(zs[0])}   i = σ(z_i)   = {Row(i)}");
Console.WriteLine($"z_f = {Row(zs[1])}   f = σ(z_f)   = {Row(f)}");
Console.WriteLine($"z_g = {Row(zs[2])}   g = tanh(z_g) = {Row(g)}");
Console.WriteLine($"z_o = {Row(zs[3])}   o = σ(z_o)   = {Row(o)}");
Console.WriteLine($"c' = f⊙c + i⊙g   = {Row(c1)}");
Console.WriteLine($"h' = o⊙tanh(c')  = {Row(h1)}");

// The project's cell computes the same step.
var (hCell, cCell) = cell.call(x, (h0, c0));
Console.WriteLine($"LstmCell.Step:  h' = {Row(hCell)}   c' = {Row(cCell)}");
Console.WriteLine($"max |difference| = {Math.Max((hCell - h1).abs().max().item<double>(), (cCell - c1).abs().max().item<double>()):E1}");

// ## The same weights in `nn.LSTM`
//
// `ParameterTransfer.Copy` moves the explicit layer's parameters into TorchSharp's `nn.LSTM` (same names, same layout);
// `LstmParity.Compare` runs both on one input and compares outputs, final states and the gradients of everything.

var explicitLstm = RecurrentStack.Lstm(inputSize: 3, hiddenSize: 2, numLayers: 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
var reference = LstmParity.ReferenceFor(explicitLstm, CPU, ScalarType.Float64);
ParameterTransfer.Copy(explicitLstm, reference);
var sequence = randn(new long[] { 5, 4, 3 }, dtype: ScalarType.Float64);   // [time, batch, input]
var report = LstmParity.Compare(explicitLstm, reference, sequence, state: null);

var table = new MarkdownTable("quantity", "max abs", "max rel");
foreach (var r in report.Rows)
    table.Add(r.Quantity, r.MaxAbs.ToString("E2"), r.MaxRel.ToString("E2"));
display(table);
Console.WriteLine($"worst relative difference {report.WorstRel:E2}, tolerance {report.Tolerance:E0}: {(report.Passed ? "parity holds" : "PARITY BROKEN")}");
if (!report.Passed)
    throw new InvalidOperationException("the explicit LSTM and nn.LSTM disagree");

// ## The gates over a sequence
//
// A sine wave through a cell with 4 units: the mean activation of each gate at every step.

torch.manual_seed(seed);
var sineCell = new LstmCell(inputSize: 1, hiddenSize: 4, dtype: ScalarType.Float64);
var weights = sineCell.named_parameters().ToDictionary(q => q.name, q => q.parameter);
var (hs, cs) = (zeros(1, 4, dtype: ScalarType.Float64), zeros(1, 4, dtype: ScalarType.Float64));
var names = new[] { "input i", "forget f", "candidate g", "output o" };
var traces = names.Select(_ => new double[steps]).ToArray();
var cellTrace = new double[steps];
using (no_grad())
{
    for (var t = 0; t < steps; t++)
    {
        var xt = tensor(new[] { Math.Sin(2 * Math.PI * t / 20.0) }, dtype: ScalarType.Float64).reshape(1, 1);
        var pre = nn.functional.linear(xt, weights["weight_ih"], weights["bias_ih"]).add(nn.functional.linear(hs, weights["weight_hh"], weights["bias_hh"]), one).chunk(4, dim: 1);
        var gates = new[] { sigmoid(pre[0]), sigmoid(pre[1]), tanh(pre[2]), sigmoid(pre[3]) };
        for (var k = 0; k < 4; k++)
            traces[k][t] = gates[k].mean().item<double>();
        (hs, cs) = LstmCell.Step(xt, hs, cs, weights["weight_ih"], weights["weight_hh"], weights["bias_ih"], weights["bias_hh"]);
        cellTrace[t] = cs.mean().item<double>();
    }
}
var plot = new Plot();
var xs = Enumerable.Range(0, steps).Select(t => (double)t).ToArray();
for (var k = 0; k < 4; k++)
    plot.Add.Scatter(xs, traces[k]).LegendText = names[k];
plot.Add.Scatter(xs, cellTrace).LegendText = "cell state c (mean)";
plot.Title("LSTM gate activations over a sine input");
plot.XLabel("time step");
plot.ShowLegend();
display(plot);

// ## Errata: two mistakes that circulate in LSTM write-ups
//
// 1. The hidden state is sometimes written $h_t = o_t \odot \tanh(c_t) - f_t \odot c_{t-1}$. It is
//    $h_t = o_t \odot \tanh(c_t)$: the forget gate acts on the cell, never on the output.
// 2. $\tanh(1)$ is sometimes given as $-0.76$. tanh is odd and positive for positive arguments: $\tanh(1) = +0.7616$.
//
// Both computed both ways on the worked example above:

var wrongH = o * tanh(c1) - f * c0;
Console.WriteLine($"h = o⊙tanh(c)           = {Row(h1)}   differs from LstmCell by {(h1 - hCell).abs().max().item<double>():E1}  (correct)");
Console.WriteLine($"h = o⊙tanh(c) − f⊙c_prev = {Row(wrongH)}   differs from LstmCell by {(wrongH - hCell).abs().max().item<double>():E1}  (wrong)");
Console.WriteLine();
Console.WriteLine($"Math.Tanh(1)     = {Math.Tanh(1):+0.0000;-0.0000}   (correct)");
Console.WriteLine($"torch.tanh(1)    = {tanh(tensor(1.0)).item<double>():+0.0000;-0.0000}");
Console.WriteLine($"claimed tanh(1)  = {-0.76:+0.00;-0.00}      (wrong: off by {Math.Tanh(1) + 0.76:F4})");
if ((wrongH - hCell).abs().max().item<double>() < 1e-6 || Math.Tanh(1) < 0)
    throw new InvalidOperationException("the errata no longer tell right from wrong");
