using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// The project's optimizers: the same maths, in the same order of operations, as TorchSharp 0.107's SGD, Adam, AdamW and
/// RMSprop, but every <see cref="Scalar"/> handed to libtorch is explicit and alive until the native call returns.
/// TorchSharp's own optimizers convert doubles to Scalars implicitly on every step; nothing references those once their
/// handle is read, so the finaliser thread can free one while libtorch still reads it (a wrong alpha, or a crash).
/// Constant Scalars live in fields of the optimizer (<see cref="Hold"/>), per-step ones in a <c>using</c> around the call.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<Scalar> held = [];
    private double learningRate;
    private bool disposed;

    /// <param name="parameters">What to optimise; create the optimizer after the model is on its device and dtype.</param>
    /// <param name="learningRate">γ, ≥ 0; settable later (schedules).</param>
    /// <param name="slotNames">The names of the state tensors each parameter carries (exp_avg, ...), as in PyTorch.</param>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate, params string[] slotNames)
    {
        Parameters = [.. parameters];
        LearningRate = learningRate;
        SlotNames = slotNames;
        Steps = new long[Parameters.Count];
        Slots = [.. Parameters.Select(_ => new Tensor?[slotNames.Length])];
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public double LearningRate
    {
        get => learningRate;
        set => learningRate = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be ≥ 0");
    }

    /// <summary>The optimizer's options by PyTorch name (booleans as 0 / 1): saved with the state and checked on load.</summary>
    public abstract IReadOnlyList<(string Name, double Value)> Hyperparameters { get; }

    /// <summary>Options added after states were first saved, with the value every state saved without them ran with: such a state still loads.</summary>
    protected virtual IReadOnlyList<(string Name, double Value)> HyperparametersOfOlderStates => [];

    internal IReadOnlyList<string> SlotNames { get; }

    /// <summary>Updates per parameter (PyTorch's state["step"]; SGD only counts); a parameter without a gradient is skipped and not counted.</summary>
    protected long[] Steps { get; }

    /// <summary>Slots[parameter][slot]: the state tensors, detached from every dispose scope; null until first needed.</summary>
    protected Tensor?[][] Slots { get; }

    /// <summary>
    /// Clears every gradient before the next backward, as PyTorch's <c>zero_grad()</c> (set_to_none=True by default
    /// since 2.0): the gradients are dropped, so the next backward's gradient is adopted as it comes instead of being
    /// added into zeros. In a PTB-small training step the fill and the add took about 6 % of the time. A parameter that
    /// then gets no gradient is skipped by <see cref="Step()"/>.
    /// </summary>
    public void ZeroGrad() => ZeroGrad(setToNone: true);

    /// <summary>
    /// <see cref="ZeroGrad()"/>, or with <paramref name="setToNone"/> false the gradients zeroed in place: a parameter
    /// outside the graph then keeps a zero gradient, which still steps Adam's moments (TorchSharp's zero_grad(false)).
    /// </summary>
    public void ZeroGrad(bool setToNone)
    {
        foreach (var parameter in Parameters)
        {
            if (setToNone)
            {
                parameter.grad = null;
                continue;
            }
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient, under no_grad, in a dispose scope of its own.</summary>
    public void Step() => Step(null);

    /// <summary>
    /// <see cref="Step()"/> with every gradient first multiplied by <paramref name="gradientScale"/>, a 0-dim float
    /// tensor (the coefficient of <see cref="GradientClipping.NormCoefficient"/>): the same numbers as scaling the
    /// gradients in place and then stepping, but an optimizer may fold the scale into its update (<see cref="Sgd"/>
    /// without momentum or weight decay does), and then the gradients stay unscaled.
    /// </summary>
    public void Step(Tensor? gradientScale)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i].grad is not { } grad)
                continue;
            Steps[i]++;
            if (gradientScale is null || !UpdateScaled(i, Parameters[i], grad, gradientScale))
                Update(i, Parameters[i], gradientScale is null ? grad : grad.mul_(gradientScale));
        }
        GC.KeepAlive(this); // the held Scalars live as long as this object: keep it reachable until the last native call returned
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient and slots; Steps[index] already counts this step.</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>
    /// <see cref="Update"/> from the gradient times <paramref name="scale"/> (0-dim), with the scaling folded into the
    /// update, bit for bit as scaling first; false where this optimizer cannot (the caller then scales and calls Update).
    /// </summary>
    protected virtual bool UpdateScaled(int index, Parameter parameter, Tensor grad, Tensor scale) => false;

    /// <summary>A Scalar that lives (and is disposed) with the optimizer: for the constants of the update.</summary>
    protected Scalar Hold(double value)
    {
        var scalar = value.ToScalar();
        held.Add(scalar);
        return scalar;
    }

    /// <summary>A zero state tensor shaped like <paramref name="parameter"/>, owned by the optimizer, not by a dispose scope.</summary>
    protected static Tensor ZerosLike(Tensor parameter) => zeros_like(parameter).DetachFromDisposeScope();

    /// <summary>Writes the kind, learning rate, hyperparameters, step counts and slots (<see cref="OptimizerSnapshot"/>).</summary>
    public void Save(BinaryWriter writer) =>
        OptimizerSnapshot.Write(writer, GetType().Name, LearningRate, Hyperparameters, SlotNames, Steps, Slots);

    /// <summary>Replaces the state by one <see cref="Save"/> wrote; nothing changes when it fails.</summary>
    /// <exception cref="InvalidDataException">The state is another optimizer's, or of other options or shapes: one line says which.</exception>
    public void Load(BinaryReader reader)
    {
        using var scope = NewDisposeScope();
        Restore(OptimizerSnapshot.Read(reader));
    }

    /// <summary>Checks <paramref name="state"/> against this optimizer, then adopts copies of its tensors and its learning rate.</summary>
    internal void Restore(OptimizerSnapshot state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var adopted = state.CheckAgainst(GetType().Name, Hyperparameters, HyperparametersOfOlderStates, SlotNames, Parameters);
        for (var i = 0; i < Parameters.Count; i++)
        {
            for (var s = 0; s < SlotNames.Count; s++)
            {
                Slots[i][s]?.Dispose();
                Slots[i][s] = adopted[i][s];
            }
            Steps[i] = state.Steps[i];
        }
        LearningRate = state.LearningRate;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing)
            return;
        disposed = true;
        foreach (var slot in Slots.SelectMany(s => s))
            slot?.Dispose();
        foreach (var scalar in held)
            scalar.Dispose();
    }
}
