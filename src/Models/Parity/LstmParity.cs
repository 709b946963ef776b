using Research.Models.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>
/// Runs the explicit <see cref="Lstm"/> and TorchSharp's nn.LSTM on the same input and compares outputs, final
/// states and the gradients of a fixed random projection of all three with respect to the input, h0, c0 and every
/// parameter. The caller decides which way the weights were copied (see <see cref="ParameterTransfer"/>).
/// </summary>
public static class LstmParity
{
    /// <summary>An nn.LSTM with the same configuration as <paramref name="explicitLstm"/>.</summary>
    public static LSTM ReferenceFor(Lstm explicitLstm, Device device, ScalarType dtype) => nn.LSTM(
        explicitLstm.InputSize, explicitLstm.HiddenSize, explicitLstm.NumLayers, explicitLstm.Bias,
        explicitLstm.BatchFirst, explicitLstm.Dropout, bidirectional: false, device: device, dtype: dtype);

    public static ParityReport Compare(Lstm explicitLstm, LSTM reference, Tensor input, (Tensor h, Tensor c)? state, long seed = 1)
        => Compare(explicitLstm, (x, s) => explicitLstm.call(x, s),
            reference, (x, s) => { var (o, h, c) = reference.call(x, s); return (o, (h, c)); }, input, state, seed);

    /// <summary>Two explicit Lstm with the same parameters, e.g. the fast implementation against the readable one.</summary>
    public static ParityReport Compare(Lstm actual, Lstm reference, Tensor input, (Tensor h, Tensor c)? state, long seed = 1)
        => Compare(actual, (x, s) => actual.call(x, s), reference, (x, s) => reference.call(x, s), input, state, seed);

    private static ParityReport Compare(
        nn.Module explicitLstm, Func<Tensor, (Tensor, Tensor)?, (Tensor output, (Tensor h, Tensor c) state)> oursForward,
        nn.Module reference, Func<Tensor, (Tensor, Tensor)?, (Tensor output, (Tensor h, Tensor c) state)> theirsForward,
        Tensor input, (Tensor h, Tensor c)? state, long seed)
    {
        using var scope = NewDisposeScope();
        var rows = new List<ParityRow>();

        var ours = Run(oursForward, explicitLstm, input, state, seed);
        var theirs = Run(theirsForward, reference, input, state, seed);

        rows.Add(ParityRow.Of("output", ours.Output, theirs.Output));
        rows.Add(ParityRow.Of("h_n", ours.H, theirs.H));
        rows.Add(ParityRow.Of("c_n", ours.C, theirs.C));
        rows.Add(ParityRow.Of("grad input", ours.GradInput, theirs.GradInput));
        if (state is not null)
        {
            rows.Add(ParityRow.Of("grad h0", ours.GradH0!, theirs.GradH0!));
            rows.Add(ParityRow.Of("grad c0", ours.GradC0!, theirs.GradC0!));
        }
        var referenceGrads = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var (name, p) in explicitLstm.named_parameters())
            rows.Add(ParityRow.Of($"grad {name}", p.grad!, referenceGrads[name]!));

        return new ParityReport(rows, ParityReport.DefaultTolerance(input.dtype));
    }

    private sealed record Outcome(Tensor Output, Tensor H, Tensor C, Tensor GradInput, Tensor? GradH0, Tensor? GradC0);

    private static Outcome Run(
        Func<Tensor, (Tensor, Tensor)?, (Tensor output, (Tensor h, Tensor c) state)> forward,
        nn.Module module, Tensor input, (Tensor h, Tensor c)? state, long seed)
    {
        module.zero_grad();
        var x = input.detach().clone().requires_grad_();
        (Tensor h, Tensor c)? s = state is { } st ? (st.h.detach().clone().requires_grad_(), st.c.detach().clone().requires_grad_()) : null;
        var (output, (h, c)) = forward(x, s);

        // The same random weights for both runs, so every element of output, h_n and c_n feeds the gradient.
        using var generator = new Generator((ulong)seed);
        var loss = (output * Probe(output, generator)).sum() + (h * Probe(h, generator)).sum() + (c * Probe(c, generator)).sum();
        loss.backward();
        return new Outcome(output, h, c, x.grad!, s?.h.grad, s?.c.grad);
    }

    // Drawn on the CPU generator, then moved: the same numbers whatever the device.
    private static Tensor Probe(Tensor like, Generator generator)
        => randn(like.shape, dtype: like.dtype, generator: generator).to(like.device);
}
