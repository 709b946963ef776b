using System.Runtime.InteropServices;
using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Optimization;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// Runs one loop under GC stress and says whether and when libtorch failed:
//   implicit-plus MAX                 a + b (TorchSharp's implicit alpha) against the exact sum, up to MAX additions
//   gru-step static|module MAX        a GRU step outside any dispose scope, by the static GruCell.Step or the module's call,
//                                     against the same step computed once, up to MAX steps
//   train torchsharp|project CONFIG MAX [key=value...]
//                                     CONFIG's task trained with TorchSharp's optimizer or the project's, up to MAX steps
// Exit 0: no failure within MAX; 3: a failure (the line before says at which operation or step, and what); a freed
// tensor read by libtorch may instead end the process with a segfault (139), as gru-step static does.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Research.StressProbe implicit-plus MAX | gru-step static|module MAX | train torchsharp|project CONFIG MAX [key=value...]");
    return 2;
}
using var stress = GcStress.StartIf(true)!;
long done = 0;
try
{
    if (args[0] == "implicit-plus")
    {
        var max = long.Parse(args[1]);
        using var a = randn(64, 64);
        using var b = randn(64, 64);
        using var expected = a.Plus(b);
        for (; done < max; done++)
        {
            using var scope = NewDisposeScope();
            if (!(a + b).allclose(expected, 0, 0))
                throw new InvalidOperationException("a + b gave a wrong sum");
        }
    }
    else if (args[0] == "gru-step")
    {
        var (viaModule, max) = (args[1] == "module", long.Parse(args[2]));
        manual_seed(1);
        using var cell = new GruCell(32, 64);
        using var x = randn(16, 32);
        using var h = randn(16, 64);
        using var expected = cell.call(x, h);
        var w = cell.Weights;
        for (; done < max; done++)
        {
            // No scope here, as in a notebook cell: every intermediate is left to the finaliser.
            using var y = viaModule ? cell.call(x, h) : GruCell.Step(x, h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh);
            if (!y.allclose(expected, 0, 0))
                throw new InvalidOperationException("the GRU step gave a wrong result");
        }
    }
    else
    {
        var (which, config, max) = (args[1], args[2], long.Parse(args[3]));
        var settings = ConfigLoader.Load<ExperimentSettings>(config, args[4..]).Value;
        var task = ExperimentBuilder.Build(settings).Task;
        var parameters = task.Model.parameters().ToList();
        using var project = which == "project" ? OptimizerFactory.Create(parameters, settings.Train) : null;
        using var torchSharp = which == "project" ? null : optim.Adam(parameters, settings.Train.Lr);
        task.Model.train();
        for (var epoch = 1; done < max; epoch++)
        {
            using var epochScope = NewDisposeScope(); // as the Trainer: what an epoch's batches share lives to its end
            using var batches = task.TrainingBatches(epoch).GetEnumerator();
            while (true)
            {
                // As the Trainer: the scope opens before the forward pass, so no intermediate tensor is left to the GC.
                using var scope = NewDisposeScope();
                if (!batches.MoveNext())
                    break;
                var batch = batches.Current;
                if (project is not null)
                {
                    project.ZeroGrad();
                    batch.Loss.backward();
                    project.Step();
                }
                else
                {
                    torchSharp!.zero_grad();
                    batch.Loss.backward();
                    torchSharp.step();
                }
                if (++done >= max)
                    break;
            }
        }
    }
}
catch (Exception e) when (e is ExternalException or InvalidOperationException)
{
    Console.WriteLine($"failed at {done + 1} ({stress.Cycles} collections): {e.Message.Split('\n')[0].Trim()}");
    return 3;
}
Console.WriteLine($"no failure in {done} ({stress.Cycles} collections)");
return 0;
