using Research.Models.Regularisation;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of LSTM layers unrolled over time with <see cref="LstmCell.Step(Tensor, Tensor, Tensor, LstmLayerWeights, LstmVariant)"/>:
/// the explicit counterpart of nn.LSTM, with the same constructor arguments, the same parameter names and shapes
/// (weight_ih_l{k} [4H, in_k], weight_hh_l{k} [4H, H], bias_ih_l{k}, bias_hh_l{k}; with bidirectional also the
/// _reverse ones; with a projection weight_hr_l{k} [P, H] and weight_hh_l{k} [4H, P]), the same initialisation and
/// the same results. A <see cref="LstmVariant"/> selects peepholes, CIFG, LN-LSTM and the other variants.
/// <code>
///   input  [T, B, in]  (or [B, T, in] with batchFirst, or [T, in] unbatched)
///   h0     [L·D, B, P or H], c0 [L·D, B, H]   (never batch-first, as in PyTorch; zeros when not given; D = directions)
///   output [T, B, D·(P or H)]                the last layer's h at every step, directions concatenated
///   h_n, c_n                                  every layer's (and direction's) state after its last step
/// </code>
/// </summary>
public sealed class Lstm : nn.Module<Tensor, (Tensor h, Tensor c)?, (Tensor output, (Tensor h, Tensor c) state)>
{
    public readonly long InputSize;
    public readonly long HiddenSize;
    public readonly long NumLayers;
    public readonly bool Bias;
    public readonly bool BatchFirst;
    public readonly double Dropout;

    /// <summary>DropConnect on every W_hh in training, one mask per forward pass (AWD-LSTM's wdrop); 0 = off.</summary>
    public readonly double WeightDrop;

    /// <summary>The between-layer dropout uses one mask per sequence, shared over time (AWD-LSTM's dropouth).</summary>
    public readonly bool DropoutIsLocked;

    /// <summary>The cell variant and architecture options (standard by default).</summary>
    public readonly LstmVariant Variant;

    /// <summary>
    /// How the layers are asked to be computed; same parameters and results either way. Can be switched at any time.
    /// A variant the fast path cannot run (see <see cref="LstmVariant.FastPathSupported"/>) runs readable instead, so
    /// a training config keeps one implementation setting for every variant: see <see cref="EffectiveImplementation"/>.
    /// </summary>
    public LstmImplementation Implementation { get; set; }

    /// <summary>What actually runs: <see cref="Implementation"/>, or Readable when the variant or a trace needs it.</summary>
    public LstmImplementation EffectiveImplementation =>
        Implementation == LstmImplementation.Fast && Variant.FastPathSupported && Trace is null
            ? LstmImplementation.Fast
            : LstmImplementation.Readable;

    /// <summary>
    /// Whether the fast path runs its step loops in <see cref="LstmStepKernel"/> where that applies: float32 on a CPU
    /// with AVX2 and FMA. On by default (faster than the libtorch-op loop, docs/bench.md and docs/bench-lm.md);
    /// false keeps the loops in libtorch ops. CUDA and float64 always use the libtorch ops.
    /// </summary>
    public bool StepKernel { get; set; } = true;

    /// <summary>
    /// When set, every forward records each layer's gates, cell and hidden states into it (detached; the previous
    /// call's record is replaced). Tracing runs the readable path and changes no output or gradient.
    /// </summary>
    public LstmTrace? Trace { get; set; }

    /// <summary>Size of h, h0, h_n per direction: the projection size P, or H without one.</summary>
    public long OutputSize => Variant.ProjectionSize > 0 ? Variant.ProjectionSize : HiddenSize;

    public Lstm(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0.0, Device? device = null, ScalarType? dtype = null,
        LstmImplementation implementation = LstmImplementation.Readable, LstmVariant? variant = null,
        double weightDrop = 0.0, bool lockedDropout = false)
        : base(nameof(Lstm))
    {
        Implementation = implementation;
        Variant = variant ?? LstmVariant.Standard;
        Variant.Validate();
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        RecurrentShapes.RequirePositive(numLayers, nameof(numLayers));
        DropoutRate.Require(dropout, nameof(dropout));
        DropoutRate.Require(weightDrop, nameof(weightDrop));
        if (Variant.ProjectionSize >= hiddenSize)
            throw new ArgumentException($"ProjectionSize {Variant.ProjectionSize} must be smaller than hiddenSize {hiddenSize} (as nn.LSTM's proj_size).", nameof(variant));
        if (Variant.ForgetBias != 0 && !bias)
            throw new ArgumentException("ForgetBias needs bias: true.", nameof(variant));
        (InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout);
        (WeightDrop, DropoutIsLocked) = (weightDrop, lockedDropout);

        // Registered by name (not as fields) so the names are exactly nn.LSTM's and a state dict moves unchanged.
        for (long k = 0; k < numLayers; k++)
        {
            foreach (var suffix in DirectionSuffixes())
            {
                var layerInput = k == 0 ? inputSize : Variant.Directions * OutputSize;
                Register($"weight_ih_l{k}{suffix}", RecurrentInit.Uniform([4 * hiddenSize, layerInput], hiddenSize, device, dtype));
                Register($"weight_hh_l{k}{suffix}", RecurrentInit.Uniform([4 * hiddenSize, OutputSize], hiddenSize, device, dtype));
                if (bias)
                {
                    var biasIh = RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype);
                    using (no_grad())
                    using (var forgetBias = Variant.ForgetBias.ToScalar()) // explicit: an implicit Scalar may be finalised mid-call
                        biasIh.narrow(0, hiddenSize, hiddenSize).add_(forgetBias, HeldScalars.One); // f block of bias_ih only
                    Register($"bias_ih_l{k}{suffix}", biasIh);
                    Register($"bias_hh_l{k}{suffix}", RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype));
                }
                if (Variant.ProjectionSize > 0)
                    Register($"weight_hr_l{k}{suffix}", RecurrentInit.Uniform([Variant.ProjectionSize, hiddenSize], hiddenSize, device, dtype));
                if (Variant.Peephole)
                {
                    foreach (var gate in new[] { "ci", "cf", "co" })
                        Register($"weight_{gate}_l{k}{suffix}", Filled([hiddenSize], 0.0, device, dtype));
                }
                if (Variant.LayerNorm)
                {
                    Register($"ln_ih_gain_l{k}{suffix}", Filled([4 * hiddenSize], 1.0, device, dtype));
                    Register($"ln_hh_gain_l{k}{suffix}", Filled([4 * hiddenSize], 1.0, device, dtype));
                    Register($"ln_c_gain_l{k}{suffix}", Filled([hiddenSize], 1.0, device, dtype));
                    Register($"ln_c_bias_l{k}{suffix}", Filled([hiddenSize], 0.0, device, dtype));
                }
            }
        }
    }

    /// <summary>The four nn.LSTM parameters of layer k (forward direction). Looked up on each call: module.to(...) replaces Parameter objects.</summary>
    public (Parameter weightIh, Parameter weightHh, Parameter? biasIh, Parameter? biasHh) Layer(long k) => (
        get_parameter($"weight_ih_l{k}")!,
        get_parameter($"weight_hh_l{k}")!,
        Bias ? get_parameter($"bias_ih_l{k}") : null,
        Bias ? get_parameter($"bias_hh_l{k}") : null);

    /// <summary>Every parameter layer k's step uses in one direction, the variant's included.</summary>
    public LstmLayerWeights Weights(long k, bool reverse = false)
    {
        var s = reverse ? "_reverse" : "";
        Parameter? Optional(string name, bool present) => present ? get_parameter($"{name}_l{k}{s}") : null;
        return new LstmLayerWeights(
            get_parameter($"weight_ih_l{k}{s}")!, get_parameter($"weight_hh_l{k}{s}")!,
            Optional("bias_ih", Bias), Optional("bias_hh", Bias),
            Optional("weight_ci", Variant.Peephole), Optional("weight_cf", Variant.Peephole), Optional("weight_co", Variant.Peephole),
            Optional("ln_ih_gain", Variant.LayerNorm), Optional("ln_hh_gain", Variant.LayerNorm),
            Optional("ln_c_gain", Variant.LayerNorm), Optional("ln_c_bias", Variant.LayerNorm),
            Optional("weight_hr", Variant.ProjectionSize > 0));
    }

    /// <summary>Runs the stack with hooks, as nn.LSTM's call; the state defaults to zeros.</summary>
    public new (Tensor output, (Tensor h, Tensor c) state) call(Tensor input, (Tensor h, Tensor c)? state = null)
        => base.call(input, state);

    public override (Tensor output, (Tensor h, Tensor c) state) forward(Tensor input, (Tensor h, Tensor c)? state = null)
    {
        var unbatched = input.dim() == 2;
        if (!unbatched && input.dim() != 3)
            throw new ArgumentException($"Lstm input must be 3-D [T, B, in] (or 2-D unbatched), got [{string.Join(", ", input.shape)}].", nameof(input));
        if (input.shape[^1] != InputSize)
            throw new ArgumentException($"Lstm input has {input.shape[^1]} features, expected {InputSize}.", nameof(input));

        // Work in time-major layout [T, B, in] throughout.
        var x = unbatched ? input.unsqueeze(1) : BatchFirst ? input.transpose(0, 1) : input;
        var batch = x.shape[1];
        var (h0, c0) = InitialState(state, batch, unbatched, x);
        Trace?.Clear();

        var directions = Variant.Directions;
        var hN = new Tensor[NumLayers * directions];
        var cN = new Tensor[NumLayers * directions];
        var layerInput = x;
        for (long k = 0; k < NumLayers; k++)
        {
            var outputs = new Tensor[directions];
            for (var d = 0; d < directions; d++)
            {
                var index = k * directions + d;
                // The reverse direction reads the sequence right to left; its outputs are put back in time order.
                var reverse = d == 1;
                var sequence = reverse ? layerInput.flip(0) : layerInput;
                var (y, h, c) = RunLayer(k, reverse, sequence, h0[index], c0[index]);
                (outputs[d], hN[index], cN[index]) = (reverse ? y.flip(0) : y, h, c);
            }
            layerInput = directions == 1 ? outputs[0] : cat(outputs, dim: 2);
            // As nn.LSTM: dropout on the outputs of every layer but the last, in training only.
            if (Dropout > 0 && training && k < NumLayers - 1)
            {
                layerInput = DropoutIsLocked
                    ? LockedDropout.Apply(layerInput, Dropout, training)
                    : nn.functional.dropout(layerInput, Dropout, training);
            }
        }

        var output = unbatched ? layerInput.squeeze(1) : BatchFirst ? layerInput.transpose(0, 1) : layerInput;
        var hOut = stack(hN);
        var cOut = stack(cN);
        return unbatched ? (output, (hOut.squeeze(1), cOut.squeeze(1))) : (output, (hOut, cOut));
    }

    private (Tensor output, Tensor h, Tensor c) RunLayer(long k, bool reverse, Tensor sequence, Tensor h0, Tensor c0)
    {
        var w = Weights(k, reverse);
        // One DropConnect mask per layer and forward pass, used at every step; gradients reach the raw W_hh through it.
        if (DropConnect.IsActive(WeightDrop, training))
            w = w with { WeightHh = DropConnect.Apply(w.WeightHh, WeightDrop, training) };
        if (EffectiveImplementation == LstmImplementation.Fast)
            return LstmLayerFunction.Apply(sequence, h0, c0, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh, StepKernel);

        var (h, c) = (h0, c0);
        var steps = new LstmStepValues[sequence.shape[0]];
        for (long t = 0; t < steps.Length; t++)
        {
            steps[t] = LstmCell.Step(sequence[t], h, c, w, Variant);
            (h, c) = (steps[t].H, steps[t].C);
        }
        Trace?.Record(k, reverse, steps);
        return (stack(steps.Select(s => s.H)), h, c);
    }

    private (Tensor h0, Tensor c0) InitialState((Tensor h, Tensor c)? state, long batch, bool unbatched, Tensor like)
    {
        long[] hShape = [NumLayers * Variant.Directions, batch, OutputSize];
        long[] cShape = [NumLayers * Variant.Directions, batch, HiddenSize];
        if (state is not { } s)
            return (zeros(hShape, dtype: like.dtype, device: like.device), zeros(cShape, dtype: like.dtype, device: like.device));
        var (h0, c0) = unbatched ? (s.h.unsqueeze(1), s.c.unsqueeze(1)) : (s.h, s.c);
        RecurrentShapes.RequireShape(h0, hShape, "h0");
        RecurrentShapes.RequireShape(c0, cShape, "c0");
        return (h0, c0);
    }

    private IEnumerable<string> DirectionSuffixes() => Variant.Bidirectional ? ["", "_reverse"] : [""];

    private void Register(string name, Parameter parameter) => register_parameter(name, parameter);

    private static Parameter Filled(long[] shape, double value, Device? device, ScalarType? dtype)
    {
        using var fill = value.ToScalar();
        return new Parameter(full(shape, fill, dtype: dtype ?? get_default_dtype(), device: device));
    }
}
