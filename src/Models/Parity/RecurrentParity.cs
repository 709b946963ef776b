using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>One recurrent module's forward pass in a common shape: input and state tensors (null: zeros) in, output and final state out.</summary>
public delegate (Tensor output, Tensor[] state) RecurrentRun(Tensor input, Tensor[]? state);

/// <summary>
/// Runs an explicit recurrent module and its TorchSharp reference on the same input and compares outputs, final
/// states and the gradients of a fixed random projection of all of them with respect to the input, every initial
/// state and every parameter (matched by name). The caller decides which way the weights were copied
/// (see <see cref="ParameterTransfer"/>).
/// </summary>
public static class RecurrentParity
{
    /// <param name="stateNames">Names of the state tensors in order, e.g. ["h", "c"]: rows read "h_n", "grad h0".</param>
    public static ParityReport Compare(nn.Module ours, RecurrentRun runOurs, nn.Module reference, RecurrentRun runReference,
        Tensor input, IReadOnlyList<string> stateNames, Tensor[]? state, long seed = 1)
    {
        using var scope = NewDisposeScope();
        var mine = Run(runOurs, ours, input, state, seed);
        var theirs = Run(runReference, reference, input, state, seed);

        var rows = new List<ParityRow> { ParityRow.Of("output", mine.Output, theirs.Output) };
        for (var i = 0; i < stateNames.Count; i++)
            rows.Add(ParityRow.Of($"{stateNames[i]}_n", mine.State[i], theirs.State[i]));
        rows.Add(ParityRow.Of("grad input", mine.GradInput, theirs.GradInput));
        if (state is not null)
        {
            for (var i = 0; i < stateNames.Count; i++)
                rows.Add(ParityRow.Of($"grad {stateNames[i]}0", mine.GradState![i], theirs.GradState![i]));
        }
        var referenceGrads = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var (name, p) in ours.named_parameters())
            rows.Add(ParityRow.Of($"grad {name}", p.grad!, referenceGrads[name]!));

        return new ParityReport(rows, ParityReport.DefaultTolerance(input.dtype));
    }

    /// <summary>A stack's call in the common shape: the state tensors are h (and c for an LSTM).</summary>
    public static RecurrentRun Run(RecurrentStack stack) => (x, s) =>
    {
        var (output, final) = stack.call(x, s is null ? null : new RecurrentState(s[0], s.Length > 1 ? s[1] : null));
        return (output, final.C is null ? [final.H] : [final.H, final.C]);
    };

    /// <summary>A state as the tensors <see cref="Compare(nn.Module, RecurrentRun, nn.Module, RecurrentRun, Tensor, IReadOnlyList{string}, Tensor[], long)"/> takes.</summary>
    public static Tensor[]? Tensors(RecurrentState? state) => state is null ? null : state.C is null ? [state.H] : [state.H, state.C];

    private sealed record Outcome(Tensor Output, Tensor[] State, Tensor GradInput, Tensor[]? GradState);

    private static Outcome Run(RecurrentRun forward, nn.Module module, Tensor input, Tensor[]? state, long seed)
    {
        module.zero_grad();
        var x = input.detach().clone().requires_grad_();
        var s = state?.Select(t => t.detach().clone().requires_grad_()).ToArray();
        var (output, final) = forward(x, s);

        // The same random weights for both runs, so every element of the output and final state feeds the gradient.
        using var generator = new Generator((ulong)seed);
        var loss = (output * Probe(output, generator)).sum();
        foreach (var t in final)
            loss = loss.Plus((t * Probe(t, generator)).sum());
        loss.backward();
        return new Outcome(output, final, x.grad!, s?.Select(t => t.grad!).ToArray());
    }

    // Drawn on the CPU generator, then moved: the same numbers whatever the device.
    private static Tensor Probe(Tensor like, Generator generator)
        => randn(like.shape, dtype: like.dtype, generator: generator).to(like.device);
}
