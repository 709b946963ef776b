using System.Reflection;
using System.Runtime.Loader;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// One build of Research.Models (its Research.Models.dll, e.g. from <c>scripts/models-at REF DIR</c>) loaded into its own
/// <see cref="AssemblyLoadContext"/>: TorchSharp and everything else come from this process, so two builds run on the
/// same tensors, threads and native libraries in one process. Why: on a shared VM, the same code timed in two processes
/// came out bimodal (0.87 ms in one, 1.3 ms in the next), while two builds alternating in one process agree to a few %.
/// A build is reached through public API every build since the step kernel has: <c>RecurrentStack.Lstm</c> and
/// <c>LstmStepKernel.ForForward</c> / <c>ForwardSteps</c> / <c>RunBackward</c>.
/// </summary>
public sealed class ModelsBuild
{
    private const string ModelsAssembly = "Research.Models";
    private const string KernelType = "Research.Models.Recurrent.LstmStepKernel";
    private readonly Assembly assembly;
    // Looked up once, not per timed call: reflection's lookups would be timed with the work.
    private readonly Lazy<MethodInfo> forForward;
    private readonly Lazy<MethodInfo> forwardSteps;
    private readonly Lazy<MethodInfo> runBackward;
    // RunBackward's and ForwardSteps's trailing parameters a later build added (with defaults): left to them.
    private readonly Lazy<object[]> runBackwardDefaults;
    private readonly Lazy<object[]> forwardStepsDefaults;
    // Backpropagation.Run(Tensor), where the build has it: its layers then hand their weight gradients over.
    private readonly Lazy<MethodInfo?> backpropagation;

    private ModelsBuild(string path, Assembly assembly)
    {
        Path = path;
        this.assembly = assembly;
        forForward = new(() => KernelMethod("ForForward", BindingFlags.Static));
        forwardSteps = new(() => KernelMethod("ForwardSteps", BindingFlags.Instance));
        runBackward = new(() => KernelMethod("RunBackward", BindingFlags.Static));
        runBackwardDefaults = new(() => [.. Enumerable.Repeat(System.Type.Missing, runBackward.Value.GetParameters().Length - 6)]);
        forwardStepsDefaults = new(() => [.. Enumerable.Repeat(System.Type.Missing, forwardSteps.Value.GetParameters().Length - 5)]);
        backpropagation = new(() => assembly.GetType("Research.Models.Runtime.Backpropagation")?.GetMethod("Run", [typeof(Tensor)]));
    }

    /// <summary>The Research.Models.dll this build was loaded from.</summary>
    public string Path { get; }

    /// <summary>
    /// Loads the build at <paramref name="location"/> (<paramref name="label"/>, "old" or "new", names its load context):
    /// a Research.Models.dll or a directory holding one. A missing file
    /// or an assembly of another name throws <see cref="ArgumentException"/> naming the path.
    /// </summary>
    public static ModelsBuild Load(string label, string location)
    {
        var path = System.IO.Path.GetFullPath(Directory.Exists(location) ? System.IO.Path.Combine(location, ModelsAssembly + ".dll") : location);
        if (!File.Exists(path))
            throw new ArgumentException($"{path}: no such file (give a Research.Models.dll or a directory holding one; scripts/models-at REF DIR builds one)");
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(path);
        }
        catch (BadImageFormatException)
        {
            throw new ArgumentException($"{path}: not a .NET assembly");
        }
        if (name.Name != ModelsAssembly)
            throw new ArgumentException($"{path}: holds {name.Name}, not {ModelsAssembly}");
        var context = new BuildContext(label, path);
        return new ModelsBuild(path, context.LoadFromAssemblyPath(path));
    }

    /// <summary>
    /// This build's <c>RecurrentStack.Lstm(input, hidden, layers, backend: <paramref name="backend"/>)</c>, every other
    /// argument at its default. The stack's own type lives in the build's context, so callers hold it as a Module.
    /// </summary>
    public nn.Module Lstm(long inputSize, long hiddenSize, long layers, string backend)
    {
        var factory = Type("Research.Models.Recurrent.RecurrentStack").GetMethod("Lstm", BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentException($"{Path}: has no RecurrentStack.Lstm");
        var arguments = factory.GetParameters().Select(p => p.Name switch
        {
            "inputSize" => inputSize,
            "hiddenSize" => hiddenSize,
            "numLayers" => layers,
            "backend" => Enum.Parse(p.ParameterType, backend, ignoreCase: true),
            _ => p.IsOptional ? System.Type.Missing : throw new ArgumentException($"{Path}: RecurrentStack.Lstm has a required parameter '{p.Name}' this comparison does not know"),
        }).ToArray();
        return (nn.Module)Invoke(factory, null, arguments)!;
    }

    /// <summary>
    /// The forward of <paramref name="stack"/> (made by <see cref="Lstm"/>): input [T, B, in] to the output y, from zero
    /// state. Its method is looked up here, once.
    /// </summary>
    public static Func<Tensor, Tensor> ForwardOf(nn.Module stack)
    {
        var forward = stack.GetType().GetMethods().First(m => m.Name == "forward" && m.GetParameters() is [{ ParameterType.Name: nameof(Tensor) }, _]);
        var output = forward.ReturnType.GetField("Item1") ?? throw new ArgumentException($"{stack.GetType()}.forward returns no (output, state) tuple");
        return input => (Tensor)output.GetValue(Invoke(forward, stack, [input, null]))!;
    }

    /// <summary>
    /// A training step's backward as this build runs it: its <c>Backpropagation.Run(loss)</c>, or <c>loss.backward()</c>
    /// in a build from before it.
    /// </summary>
    public void Backward(Tensor loss)
    {
        if (backpropagation.Value is { } run)
            Invoke(run, null, [loss]);
        else
            loss.backward();
    }

    /// <summary>This build's step kernel for the forward steps (W_hh packed now): <c>LstmStepKernel.ForForward</c>.</summary>
    public IDisposable ForwardKernel(Tensor weightHh, int batch) =>
        (IDisposable)Invoke(forForward.Value, null, [weightHh, batch])!;

    /// <summary><c>kernel.ForwardSteps(gates, h0, cells, output)</c> on a kernel from <see cref="ForwardKernel"/>.</summary>
    public void ForwardSteps(IDisposable kernel, Tensor gates, Tensor h0, Tensor cells, Tensor output) =>
        Invoke(forwardSteps.Value, kernel, [gates, h0, cells, output, null, .. forwardStepsDefaults.Value]);

    /// <summary>This build's <c>LstmStepKernel.RunBackward</c>: the backward steps, W_hh's pack (where the build packs it) included.</summary>
    public void BackwardSteps(Tensor dGates, Tensor dH, Tensor dC, Tensor gates, Tensor cells, Tensor weightHh) =>
        Invoke(runBackward.Value, null, [dGates, dH, dC, gates, cells, weightHh, .. runBackwardDefaults.Value]);

    /// <summary>Whether this build's step kernel runs on this CPU (<c>LstmStepKernel.IsSupported</c>).</summary>
    public bool KernelSupported =>
        (bool)(Type(KernelType).GetProperty("IsSupported")?.GetValue(null)
            ?? throw new ArgumentException($"{Path}: its LstmStepKernel has no IsSupported"));

    private MethodInfo KernelMethod(string name, BindingFlags kind) =>
        Type(KernelType).GetMethod(name, BindingFlags.Public | kind)
        ?? throw new ArgumentException($"{Path}: its LstmStepKernel has no public {(kind == BindingFlags.Static ? "static " : "")}{name}");

    private Type Type(string fullName) =>
        assembly.GetType(fullName) ?? throw new ArgumentException($"{Path}: has no {fullName}");

    // The build's own exceptions, not reflection's wrapper: a refusal (say, a shape check) must read as itself.
    private static object? Invoke(MethodInfo method, object? target, object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    // Research.Models from the build's file; every other assembly (TorchSharp above all) resolves to this process's copy.
    private sealed class BuildContext(string label, string path) : AssemblyLoadContext($"Research.Models build ({label})")
    {
        protected override Assembly? Load(AssemblyName name) => name.Name == ModelsAssembly ? LoadFromAssemblyPath(path) : null;
    }
}
