using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The backend a <see cref="RecurrentStack"/> resolved at construction, with why: printed when a run starts and written
/// as summary.json's recurrent_backend. An explicit request that cannot run the cell, variant, device or dtype fails
/// with one line instead of falling back.
/// </summary>
public sealed record RecurrentBackend(RecurrentBackendKind Kind, string Reason)
{
    /// <summary>"kernel (auto: ...)", one line.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} ({Reason})";

    /// <summary>
    /// The backend <paramref name="options"/> ask for on <paramref name="dtype"/> and <paramref name="device"/>. Auto:
    /// an LSTM takes kernel where it applies (standard step, float32, CPU with AVX2 and FMA), else fast where the
    /// variant allows, else readable; GRU and RNN take readable (their cell under autograd).
    /// </summary>
    /// <exception cref="ArgumentException">An explicit backend that cannot run this stack; one line naming it and why.</exception>
    public static RecurrentBackend Resolve(RecurrentStackOptions options, ScalarType dtype, DeviceType device)
    {
        var requested = options.Backend;
        if (requested != RecurrentBackendKind.Auto)
        {
            if (WhyNot(options, dtype, device) is { } why)
                throw new ArgumentException($"backend {Name(requested)}: {why}");
            return new(requested, Description(requested, options.Cell));
        }
        if (options.Cell != RecurrentCellKind.Lstm)
            return new(RecurrentBackendKind.Readable, $"auto: {Description(RecurrentBackendKind.Readable, options.Cell)}");
        var kernelProblem = WhyNot(options with { Backend = RecurrentBackendKind.Kernel }, dtype, device);
        if (kernelProblem is null)
            return new(RecurrentBackendKind.Kernel, $"auto: {Description(RecurrentBackendKind.Kernel, options.Cell)}");
        var fastProblem = WhyNot(options with { Backend = RecurrentBackendKind.Fast }, dtype, device);
        return fastProblem is null
            ? new(RecurrentBackendKind.Fast, $"auto: {Description(RecurrentBackendKind.Fast, options.Cell)}; not kernel: {kernelProblem}")
            : new(RecurrentBackendKind.Readable, $"auto: {Description(RecurrentBackendKind.Readable, options.Cell)}; not fast: {fastProblem}");
    }

    /// <summary>
    /// Why the requested backend cannot run the cell and variant (and, when given, the dtype and device); null if it can.
    /// Auto and readable run everything.
    /// </summary>
    public static string? WhyNot(RecurrentStackOptions options, ScalarType? dtype = null, DeviceType? device = null)
    {
        var backend = options.Backend;
        var variant = options.LstmVariant;
        var lstmOnly = backend is RecurrentBackendKind.Fast or RecurrentBackendKind.Kernel;
        if (lstmOnly && options.Cell != RecurrentCellKind.Lstm)
            return $"{Name(backend)} is an LSTM backend; the {options.Cell} cell runs readable or torch";
        if ((lstmOnly || backend == RecurrentBackendKind.Torch) && options.Cell == RecurrentCellKind.Lstm && variant.ChangesStep)
            return $"the variant {variant} changes the LSTM step, which only readable runs";
        if (backend != RecurrentBackendKind.Kernel)
            return null;
        if (!LstmStepKernel.IsSupported)
            return "this CPU lacks AVX2/FMA for the step kernel";
        if (device is { } d && d != DeviceType.CPU)
            return $"the step kernel runs on the CPU, not {d}";
        if (dtype is { } t && t != ScalarType.Float32)
            return $"the step kernel computes in float32, not {t}";
        return null;
    }

    /// <summary>One line naming the backend of the first <see cref="RecurrentStack"/> in <paramref name="model"/>.</summary>
    public static string Of(nn.Module model)
        => model.modules().Prepend(model).OfType<RecurrentStack>().FirstOrDefault()?.Backend.ToString()
            ?? "none: the model has no recurrent stack";

    private static string Name(RecurrentBackendKind kind) => kind.ToString().ToLowerInvariant();

    private static string Description(RecurrentBackendKind kind, RecurrentCellKind cell) => (kind, cell) switch
    {
        (RecurrentBackendKind.Readable, RecurrentCellKind.Lstm) => "LstmCell under autograd",
        (RecurrentBackendKind.Readable, RecurrentCellKind.Gru) => "GruCell under autograd",
        (RecurrentBackendKind.Readable, _) => "RnnCell under autograd",
        (RecurrentBackendKind.Fast, _) => "hand-derived BPTT, step loops in libtorch ops",
        (RecurrentBackendKind.Kernel, _) => $"hand-derived BPTT, C# {LstmStepKernel.VectorWidth}-bit ({LstmStepKernel.InstructionSet}) step kernel",
        (_, RecurrentCellKind.Lstm) => "TorchSharp's nn.LSTM",
        (_, RecurrentCellKind.Gru) => "TorchSharp's nn.GRU",
        _ => "TorchSharp's nn.RNN",
    };
}
