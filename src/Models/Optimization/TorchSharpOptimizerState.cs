using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchSharpAdam = TorchSharp.Modules.Adam;
using TorchSharpAdamW = TorchSharp.Modules.AdamW;

namespace Research.Models.Optimization;

/// <summary>
/// Imports a state written by TorchSharp's own optimizer (its save_state_dict, as in checkpoints from before the
/// project had its own optimizers): a TorchSharp optimizer of the same kind over the same parameters reads the state,
/// and its public per-parameter tensors (exp_avg, ...) and options become ours after the usual checks. That TorchSharp
/// optimizer never steps, so none of its implicit Scalars is ever made.
/// </summary>
public static class TorchSharpOptimizerState
{
    /// <exception cref="InvalidDataException">Another kind, other options or other shapes: one line says which.</exception>
    public static void LoadTorchSharpState(this Optimizer target, BinaryReader reader)
    {
        var expected = target switch
        {
            Sgd => "SGD",
            Adam => "Adam",
            AdamW => "AdamW",
            RmsProp => "RMSProp",
            _ => throw new ArgumentException($"{target.GetType().Name} has no TorchSharp counterpart", nameof(target)),
        };
        var start = reader.BaseStream.Position; // load_state_dict reads the kind again
        var saved = reader.ReadString();
        if (saved != expected)
            throw new InvalidDataException($"optimizer state: saved by TorchSharp's {saved}, this optimizer is {target.GetType().Name}");
        reader.BaseStream.Position = start;

        using var scope = NewDisposeScope();
        using var source = Create(target);
        try
        {
            source.load_state_dict(reader);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"optimizer state: TorchSharp's {saved} state does not fit these parameters ({e.Message.Split('\n')[0].Trim()})", e);
        }
        var dictionary = source.state_dict();
        var options = dictionary.Options.Single();
        var states = dictionary.State;
        var (hyperparameters, steps, slots) = options switch
        {
            SGD.Options o => FromSgd(o, [.. states.Cast<SGD.State>()]),
            TorchSharpAdam.Options o => FromAdam(o.beta1, o.beta2, o.eps, o.weight_decay, o.amsgrad, o.maximize,
                [.. states.Cast<TorchSharpAdam.State>().Select(s => (s.step, s.exp_avg, s.exp_avg_sq))]),
            TorchSharpAdamW.Options o => FromAdam(o.beta1, o.beta2, o.eps, o.weight_decay, o.amsgrad, o.maximize,
                [.. states.Cast<TorchSharpAdamW.State>().Select(s => (s.step, s.exp_avg, s.exp_avg_sq))]),
            RMSProp.Options o => FromRmsProp(o, [.. states.Cast<RMSProp.State>()]),
            _ => throw new InvalidDataException($"optimizer state: TorchSharp options {options.GetType().Name} are not {target.GetType().Name}'s"),
        };
        target.Restore(new(target.GetType().Name, options.LearningRate!.Value, hyperparameters, target.SlotNames, steps, slots));
    }

    private static OptimizerHelper Create(Optimizer target) => target switch
    {
        Sgd => optim.SGD(target.Parameters, target.LearningRate),
        Adam => optim.Adam(target.Parameters),
        AdamW => optim.AdamW(target.Parameters),
        _ => optim.RMSProp(target.Parameters),
    };

    private static (List<(string, double)>, long[], Tensor?[][]) FromSgd(SGD.Options o, List<SGD.State> states)
    {
        Off(o.maximize, "maximize");
        return ([("momentum", o.momentum!.Value), ("dampening", o.dampening!.Value), ("weight_decay", o.weight_decay!.Value), Flag("nesterov", o.nesterov)],
            new long[states.Count], // TorchSharp's SGD does not count steps; ours only counts them
            [.. states.Select(s => new[] { s.momentum_buffer })]);
    }

    private static (List<(string, double)>, long[], Tensor?[][]) FromAdam(double? beta1, double? beta2, double? eps, double? weightDecay, bool? amsgrad,
        bool? maximize, List<(long Step, Tensor ExpAvg, Tensor ExpAvgSq)> states)
    {
        Off(amsgrad, "amsgrad");
        Off(maximize, "maximize");
        return ([("beta1", beta1!.Value), ("beta2", beta2!.Value), ("eps", eps!.Value), ("weight_decay", weightDecay!.Value)],
            [.. states.Select(s => s.Step)], [.. states.Select(s => new Tensor?[] { s.ExpAvg, s.ExpAvgSq })]);
    }

    private static (List<(string, double)>, long[], Tensor?[][]) FromRmsProp(RMSProp.Options o, List<RMSProp.State> states)
    {
        Off(o.maximize, "maximize");
        // TorchSharp allocates grad_avg and momentum_buffer always; ours only where centered / momentum > 0 use them.
        // TorchSharp's RMSprop adds ε outside the root.
        return ([("alpha", o.alpha!.Value), ("eps", o.eps!.Value), ("momentum", o.momentum!.Value), Flag("centered", o.centered), ("weight_decay", o.weight_decay!.Value),
                ("eps_inside_sqrt", 0)],
            [.. states.Select(s => s.step)],
            [.. states.Select(s => new[] { s.square_avg, o.centered == true ? s.grad_avg : null, o.momentum > 0 ? s.momentum_buffer : null })]);
    }

    private static (string, double) Flag(string name, bool? value) => (name, value == true ? 1 : 0);

    /// <summary>A state saved with an option the project's optimizers do not implement cannot continue in them.</summary>
    private static void Off(bool? option, string name)
    {
        if (option == true)
            throw new InvalidDataException($"optimizer state: TorchSharp's optimizer ran with {name}, which the project's optimizers do not implement");
    }
}
