using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A time-major recurrent stack behind one call shape, whichever cell and implementation are chosen. The explicit
/// stacks and TorchSharp's modules expose the same parameter names (weight_ih_l0, ...), so a model's state dict is the
/// same with either core.
/// <para>
/// The state is always a pair (h, c) for callers. Single-state cells (GRU, RNN) carry nothing in c: they ignore the c
/// they are given and return an empty tensor for it, so carrying, detaching and disposing the pair works for any cell.
/// </para>
/// </summary>
public sealed class RecurrentCore
{
    private readonly Func<Tensor, (Tensor h, Tensor c)?, (Tensor output, (Tensor h, Tensor c) state)> _forward;

    private RecurrentCore(nn.Module module, RecurrentCoreOptions options, long hiddenSize, long numLayers,
        Func<Tensor, (Tensor h, Tensor c)?, (Tensor output, (Tensor h, Tensor c) state)> forward)
    {
        (Module, Options, HiddenSize, NumLayers, _forward) = (module, options, hiddenSize, numLayers, forward);
    }

    /// <summary>The module to register as a child of the model that uses this core.</summary>
    public nn.Module Module { get; }

    public RecurrentCoreOptions Options { get; }

    public long HiddenSize { get; }

    public long NumLayers { get; }

    /// <summary>Features of the output at each step: directions × (projection size, or the hidden size).</summary>
    public long OutputSize => Options.OutputSize(HiddenSize);

    /// <summary>
    /// The zero state for a batch on <paramref name="like"/>'s device and dtype, shaped as <see cref="Forward"/> takes it:
    /// h [L·D, B, P or H] and c [L·D, B, H], or an empty c for single-state cells.
    /// </summary>
    public (Tensor h, Tensor c) InitialState(long batch, Tensor like)
    {
        var layers = NumLayers * Options.Directions;
        var h = zeros([layers, batch, OutputSize / Options.Directions], dtype: like.dtype, device: like.device);
        return Options.Cell == RecurrentCellKind.Lstm
            ? (h, zeros([layers, batch, HiddenSize], dtype: like.dtype, device: like.device))
            : (h, NoCellState(h));
    }

    /// <param name="dropout">On the outputs of every layer but the last, in training (as nn.LSTM's dropout).</param>
    /// <exception cref="ArgumentException">The options ask for something this cell and core cannot do (see <see cref="RecurrentCoreOptions.Unsupported"/>).</exception>
    public static RecurrentCore Create(RecurrentCoreOptions options, long inputSize, long hiddenSize, long numLayers, double dropout,
        Device? device = null, ScalarType? dtype = null)
    {
        var problems = options.Unsupported(numLayers, dropout).Select(p => $"{p.Option}: {p.Reason}").ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"recurrent core {options.Core}/{options.Cell}: {string.Join("; ", problems)}", nameof(options));
        return (options.Core, options.Cell) switch
        {
            (RecurrentCoreKind.Lstm, RecurrentCellKind.Lstm) => Pair(options, hiddenSize, numLayers,
                new Lstm(inputSize, hiddenSize, numLayers, dropout: dropout, device: device, dtype: dtype, implementation: options.Implementation,
                    variant: options.Variant, weightDrop: options.WeightDrop, lockedDropout: options.LockedDropout)
                { StepKernel = options.StepKernel }),
            (RecurrentCoreKind.Lstm, RecurrentCellKind.Gru) => Single(options, hiddenSize, numLayers,
                new Gru(inputSize, hiddenSize, numLayers, dropout: dropout, weightDrop: options.WeightDrop, lockedDropout: options.LockedDropout, device: device, dtype: dtype)),
            (RecurrentCoreKind.Lstm, _) => Single(options, hiddenSize, numLayers,
                new Rnn(inputSize, hiddenSize, numLayers, NonLinearity(options.Cell), dropout: dropout, weightDrop: options.WeightDrop,
                    lockedDropout: options.LockedDropout, device: device, dtype: dtype)),
            (RecurrentCoreKind.Torch, RecurrentCellKind.Lstm) => TorchLstm(options, inputSize, hiddenSize, numLayers, dropout, device, dtype),
            (RecurrentCoreKind.Torch, RecurrentCellKind.Gru) => TorchSingle(options, hiddenSize, numLayers,
                nn.GRU(inputSize, hiddenSize, numLayers, dropout: dropout, device: device, dtype: dtype)),
            (RecurrentCoreKind.Torch, _) => TorchSingle(options, hiddenSize, numLayers,
                nn.RNN(inputSize, hiddenSize, numLayers, NonLinearity(options.Cell), dropout: dropout, device: device, dtype: dtype)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Core, "unknown recurrent core"),
        };
    }

    /// <summary>
    /// Sets the forget block of every bias_ih to exactly the variant's forget bias (bias_hh keeps its values): char-rnn's
    /// rule after its uniform init, for models that re-initialise every parameter after construction (which wipes the
    /// shift the constructor applied). Nothing happens for other cells or a zero forget bias.
    /// </summary>
    public void FillForgetBias()
    {
        var forget = Options.LstmVariant.ForgetBias;
        if (Options.Cell != RecurrentCellKind.Lstm || forget == 0)
            return;
        using var noGrad = no_grad();
        using var value = forget.ToScalar(); // explicit: an implicit Scalar may be finalised mid-call
        foreach (var (name, parameter) in Module.named_parameters())
        {
            // Gate blocks are i, f, g, o in both cores, so f is the second block of HiddenSize rows.
            if (name.StartsWith("bias_ih", StringComparison.Ordinal))
                parameter.narrow(0, HiddenSize, HiddenSize).fill_(value);
        }
    }

    /// <summary>x [T, B, in], state shaped as <see cref="InitialState"/> or null for zeros; returns output [T, B, <see cref="OutputSize"/>] and the final state.</summary>
    public (Tensor output, (Tensor h, Tensor c) state) Forward(Tensor x, (Tensor h, Tensor c)? state) => _forward(x, state);

    private static nn.NonLinearities NonLinearity(RecurrentCellKind cell) => cell switch
    {
        RecurrentCellKind.RnnTanh => nn.NonLinearities.Tanh,
        RecurrentCellKind.RnnRelu => nn.NonLinearities.ReLU,
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "not an Elman RNN cell"),
    };

    private static RecurrentCore Pair(RecurrentCoreOptions options, long hiddenSize, long numLayers, Lstm lstm)
        => new(lstm, options, hiddenSize, numLayers, (x, s) => lstm.call(x, s));

    private static RecurrentCore Single(RecurrentCoreOptions options, long hiddenSize, long numLayers, SingleStateRecurrentStack stack)
        => new(stack, options, hiddenSize, numLayers, (x, s) =>
        {
            var (output, h) = stack.call(x, s?.h);
            return (output, (h, NoCellState(h)));
        });

    private static RecurrentCore TorchLstm(RecurrentCoreOptions options, long inputSize, long hiddenSize, long numLayers, double dropout,
        Device? device, ScalarType? dtype)
    {
        var variant = options.LstmVariant;
        var reference = nn.LSTM(inputSize, hiddenSize, numLayers, dropout: dropout, bidirectional: variant.Bidirectional, device: device, dtype: dtype);
        if (variant.ForgetBias != 0)
        {
            // As the explicit Lstm: the f block of every bias_ih starts shifted by the forget bias.
            using var noGrad = no_grad();
            using var forgetBias = variant.ForgetBias.ToScalar();
            foreach (var (name, parameter) in reference.named_parameters())
            {
                if (name.StartsWith("bias_ih", StringComparison.Ordinal))
                    parameter.narrow(0, hiddenSize, hiddenSize).add_(forgetBias, HeldScalars.One);
            }
        }
        return new(reference, options, hiddenSize, numLayers, (x, s) =>
        {
            var (output, h, c) = reference.call(x, s);
            return (output, (h, c));
        });
    }

    private static RecurrentCore TorchSingle(RecurrentCoreOptions options, long hiddenSize, long numLayers,
        nn.Module<Tensor, Tensor?, (Tensor, Tensor)> reference)
        => new(reference, options, hiddenSize, numLayers, (x, s) =>
        {
            var (output, h) = reference.call(x, s?.h);
            return (output, (h, NoCellState(h)));
        });

    /// <summary>The c of a single-state cell: empty, on h's device and dtype.</summary>
    private static Tensor NoCellState(Tensor h) => empty(0, dtype: h.dtype, device: h.device);
}
