using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>
/// <c>loss.backward()</c> for a training step, letting the project's own autograd functions hand a weight's gradient to
/// the parameter instead of returning it to autograd. Why: libtorch's AccumulateGrad takes a new gradient as it comes
/// only when nothing else holds it, and the managed tensor a TorchSharp custom function returns still does, so it is
/// copied. nn.LSTM's gradients are taken without a copy; the explicit layers' were copied, 4 × 36 MB a step at hidden
/// 1500 (docs/step-kernel.md, "Weight gradients handed over").
/// <para>
/// A gradient is handed over only where AccumulateGrad itself would have taken it: inside <see cref="Run"/> on the
/// thread that called it (the CPU engine runs the backward there), without create_graph, to a leaf parameter whose
/// <c>.grad</c> is empty. Everywhere else, a plain <c>backward()</c> and <c>torch.autograd.grad</c> included (which
/// must capture gradients, not accumulate them), the functions return their gradients as usual. TorchSharp exposes no
/// tensor hooks, so none is skipped.
/// </para>
/// </summary>
public static class Backpropagation
{
    [ThreadStatic]
    private static bool running;

    /// <summary><c>loss.backward()</c>, with weight gradients handed over where AccumulateGrad would take them.</summary>
    public static void Run(Tensor loss) => Run(loss, null);

    /// <summary>
    /// <c>output.backward([gradient])</c> (a non-scalar output's backward from its gradient; null: a scalar's), with
    /// weight gradients handed over likewise. No <c>inputs</c> argument: every leaf of the graph then accumulates.
    /// </summary>
    public static void Run(Tensor output, Tensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(output);
        var outer = running;
        running = true;
        try
        {
            if (gradient is null)
                output.backward();
            else
                output.backward([gradient]);
        }
        finally
        {
            running = outer;
        }
    }

    /// <summary>
    /// Called by an autograd function's backward with the gradient it computed for <paramref name="parameter"/> (its
    /// saved input): sets it as the parameter's <c>.grad</c> and returns null where it may (see the class comment),
    /// else returns the gradient for autograd to accumulate.
    /// </summary>
    internal static Tensor? HandOver(Tensor parameter, Tensor gradient)
    {
        if (!running || is_grad_enabled() || !parameter.is_leaf || !parameter.requires_grad)
            return gradient;
        using (var held = parameter.grad)
        {
            if (held is not null)
                return gradient;
        }
        parameter.grad = gradient;
        return null;
    }
}
