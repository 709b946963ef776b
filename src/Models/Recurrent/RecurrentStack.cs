using Research.Models.Regularisation;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of LSTM, GRU or Elman RNN layers unrolled over time: the explicit counterpart of nn.LSTM / nn.GRU / nn.RNN,
/// with their constructor arguments, parameter names and shapes (weight_ih_l{k} [G·H, in_k], weight_hh_l{k} [G·H, H],
/// bias_ih_l{k}, bias_hh_l{k}, _reverse ones when bidirectional; an LSTM variant adds its own), initialisation and
/// results, whichever <see cref="RecurrentBackend"/> runs it. The backend is resolved once, here, and never changes.
/// <code>
///   input  [T, B, in]  (or [B, T, in] with batchFirst, or [T, in] unbatched)
///   state  h [L·D, B, P or H], c [L·D, B, H] for an LSTM   (never batch-first, as in PyTorch; zeros when not given)
///   output [T, B, D·(P or H)]   the last layer's h at every step, directions concatenated
/// </code>
/// Everything the cells share lives here: layout, state, between-layer dropout (one mask per element as nn.LSTM, or
/// with lockedDropout one per sequence, AWD-LSTM's dropouth) and DropConnect on every W_hh (AWD-LSTM's wdrop). Each
/// cell contributes one step: <see cref="LstmCell.Step(Tensor, Tensor, Tensor, LstmLayerWeights, LstmVariant)"/> (or
/// a whole layer in <see cref="LstmLayerFunction{TSelf}"/>, every layer at once where nothing sits between them),
/// <see cref="GruCell.Step"/>, <see cref="RnnCell.Step"/>.
/// </summary>
public sealed class RecurrentStack : nn.Module<Tensor, RecurrentState?, (Tensor output, RecurrentState state)>
{
    public readonly long InputSize;
    public readonly long HiddenSize;
    public readonly long NumLayers;
    public readonly bool Bias;
    public readonly bool BatchFirst;
    public readonly double Dropout;

    /// <summary>The cell, requested backend, variant and regularisers.</summary>
    public readonly RecurrentStackOptions Options;

    /// <summary>What runs, resolved at construction from <see cref="RecurrentStackOptions.Backend"/>, the dtype and the device.</summary>
    public readonly RecurrentBackend Backend;

    // Backend torch only: the fused module. Not a child: its parameters are registered on this module under their own
    // names, so the state dict reads weight_ih_l0 as for every other backend.
    private readonly nn.Module? fused;

    /// <param name="dropout">On the outputs of every layer but the last, in training (as nn.LSTM's dropout).</param>
    /// <exception cref="ArgumentException">The options ask for something this cell or backend cannot do, in one line.</exception>
    public RecurrentStack(RecurrentStackOptions options, long inputSize, long hiddenSize, long numLayers = 1, double dropout = 0.0,
        bool bias = true, bool batchFirst = false, Device? device = null, ScalarType? dtype = null)
        : base(nameof(RecurrentStack))
    {
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        RecurrentShapes.RequirePositive(numLayers, nameof(numLayers));
        DropoutRate.Require(dropout, nameof(dropout));
        DropoutRate.Require(options.WeightDrop, nameof(options.WeightDrop));
        var problems = options.Unsupported(hiddenSize, numLayers, dropout, bias).Select(p => $"{p.Option}: {p.Reason}").ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"recurrent stack {options.Cell}: {string.Join("; ", problems)}", nameof(options));
        (Options, InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout) = (options, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout);
        Backend = RecurrentBackend.Resolve(options, dtype ?? get_default_dtype(), device?.type ?? DeviceType.CPU);

        if (Backend.Kind == RecurrentBackendKind.Torch)
        {
            fused = Fused(device, dtype);
            foreach (var (name, parameter) in fused.named_parameters())
                register_parameter(name, parameter);
        }
        else
        {
            RegisterExplicit(device, dtype);
        }
        // As char-rnn and Jozefowicz et al.: the f block of every bias_ih starts shifted (bias_hh keeps its values).
        using var forgetBias = Variant.ForgetBias.ToScalar(); // explicit: an implicit Scalar may be finalised mid-call
        ForEachForgetBlock(block => block.add_(forgetBias, HeldScalars.One));
    }

    /// <summary>An LSTM stack with nn.LSTM's arguments plus the variant, weight drop and locked dropout.</summary>
    public static RecurrentStack Lstm(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0.0, Device? device = null, ScalarType? dtype = null, RecurrentBackendKind backend = RecurrentBackendKind.Auto,
        LstmVariant? variant = null, double weightDrop = 0.0, bool lockedDropout = false)
        => new(new RecurrentStackOptions(RecurrentCellKind.Lstm, backend, lockedDropout, weightDrop, variant),
            inputSize, hiddenSize, numLayers, dropout, bias, batchFirst, device, dtype);

    /// <summary>A GRU stack with nn.GRU's arguments plus weight drop and locked dropout.</summary>
    public static RecurrentStack Gru(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0.0, double weightDrop = 0.0, bool lockedDropout = false, Device? device = null, ScalarType? dtype = null,
        RecurrentBackendKind backend = RecurrentBackendKind.Auto)
        => new(new RecurrentStackOptions(RecurrentCellKind.Gru, backend, lockedDropout, weightDrop),
            inputSize, hiddenSize, numLayers, dropout, bias, batchFirst, device, dtype);

    /// <summary>An Elman RNN stack with nn.RNN's arguments (tanh or relu) plus weight drop and locked dropout.</summary>
    public static RecurrentStack Rnn(long inputSize, long hiddenSize, long numLayers = 1, nn.NonLinearities nonLinearity = nn.NonLinearities.Tanh,
        bool bias = true, bool batchFirst = false, double dropout = 0.0, double weightDrop = 0.0, bool lockedDropout = false,
        Device? device = null, ScalarType? dtype = null, RecurrentBackendKind backend = RecurrentBackendKind.Auto)
        => new(new RecurrentStackOptions(nonLinearity == nn.NonLinearities.ReLU ? RecurrentCellKind.RnnRelu : RecurrentCellKind.RnnTanh,
            backend, lockedDropout, weightDrop), inputSize, hiddenSize, numLayers, dropout, bias, batchFirst, device, dtype);

    public RecurrentCellKind Cell => Options.Cell;

    /// <summary>The LSTM variant (the standard cell for GRU and RNN).</summary>
    public LstmVariant Variant => Options.LstmVariant;

    public double WeightDrop => Options.WeightDrop;

    /// <summary>The between-layer dropout uses one mask per sequence, shared over time.</summary>
    public bool DropoutIsLocked => Options.LockedDropout;

    /// <summary>tanh or relu, for an Elman RNN.</summary>
    public nn.NonLinearities NonLinearity => Cell == RecurrentCellKind.RnnRelu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh;

    /// <summary>Size of h per direction: the projection size P, or H.</summary>
    public long StateSize => Options.StateSize(HiddenSize);

    /// <summary>Features of the output at each step: directions × <see cref="StateSize"/>.</summary>
    public long OutputSize => Options.OutputSize(HiddenSize);

    private LstmTrace? trace;

    /// <summary>
    /// When set, every forward records each LSTM layer's gates, cell and hidden states into it (detached; the previous
    /// call's record is replaced). Only the readable backend computes the gates step by step: build the stack with
    /// backend readable to trace it (outputs and gradients are unchanged).
    /// </summary>
    public LstmTrace? Trace
    {
        get => trace;
        set => trace = value is null || (Backend.Kind == RecurrentBackendKind.Readable && Cell == RecurrentCellKind.Lstm)
            ? value
            : throw new InvalidOperationException($"a gate trace needs an LSTM with backend readable, this stack is {Cell} with backend {Backend}");
    }

    /// <summary>The zero state for a batch on <paramref name="like"/>'s device and dtype: h, and c for an LSTM.</summary>
    public RecurrentState InitialState(long batch, Tensor like)
    {
        var layers = NumLayers * Options.Directions;
        var h = zeros([layers, batch, StateSize], dtype: like.dtype, device: like.device);
        return new(h, Cell == RecurrentCellKind.Lstm ? zeros([layers, batch, HiddenSize], dtype: like.dtype, device: like.device) : null);
    }

    /// <summary>The four nn.LSTM/GRU/RNN parameters of layer k in one direction, looked up by name (module.to(...) replaces Parameter objects).</summary>
    public RecurrentLayerWeights Layer(long k, bool reverse = false) => RecurrentLayerWeights.Of(this, Suffix(k, reverse), Bias);

    /// <summary>
    /// The four weights one forward pass uses per layer and direction (index k·D + d): the raw ones, with W_hh through
    /// DropConnect in training. Drawn once per forward, layer by layer, so every time step sees the same mask and
    /// gradients flow back to the raw W_hh.
    /// </summary>
    public RecurrentLayerWeights[] EffectiveWeights()
    {
        var directions = Options.Directions;
        var layers = new RecurrentLayerWeights[NumLayers * directions];
        for (var index = 0; index < layers.Length; index++)
            layers[index] = Layer(index / directions, index % directions == 1).WithDropConnect(WeightDrop, training);
        return layers;
    }

    /// <summary>Every parameter layer k's LSTM step uses in one direction, the variant's included.</summary>
    public LstmLayerWeights Weights(long k, bool reverse = false)
    {
        var suffix = Suffix(k, reverse);
        var v = Variant;
        Parameter? Optional(string name, bool present) => present ? get_parameter($"{name}{suffix}") : null;
        var w = Layer(k, reverse);
        return new LstmLayerWeights(w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh,
            Optional("weight_ci", v.Peephole), Optional("weight_cf", v.Peephole), Optional("weight_co", v.Peephole),
            Optional("ln_ih_gain", v.LayerNorm), Optional("ln_hh_gain", v.LayerNorm),
            Optional("ln_c_gain", v.LayerNorm), Optional("ln_c_bias", v.LayerNorm),
            Optional("weight_hr", v.ProjectionSize > 0));
    }

    /// <summary>
    /// Sets the forget block of every bias_ih to exactly the variant's forget bias (bias_hh keeps its values): char-rnn's
    /// rule after its uniform init, for models that re-initialise every parameter after construction (which wipes the
    /// shift the constructor applied). Nothing happens for other cells or a zero forget bias.
    /// </summary>
    public void FillForgetBias()
    {
        using var value = Variant.ForgetBias.ToScalar(); // explicit: an implicit Scalar may be finalised mid-call
        ForEachForgetBlock(block => block.fill_(value));
    }

    /// <summary>Runs the stack with hooks, as nn.LSTM's call; the state defaults to zeros.</summary>
    public new (Tensor output, RecurrentState state) call(Tensor input, RecurrentState? state = null) => base.call(input, state);

    public override (Tensor output, RecurrentState state) forward(Tensor input, RecurrentState? state = null)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var unbatched = RecurrentLayout.CheckInput(input, InputSize, $"{Cell} stack");
        var x = RecurrentLayout.ToTimeMajor(input, unbatched, BatchFirst);
        var initial = Initial(state, x.shape[1], unbatched, x);
        var (output, final) = fused is null ? RunLayers(x, initial) : RunFused(x, initial);
        return (RecurrentLayout.FromTimeMajor(output, unbatched, BatchFirst),
            unbatched ? new RecurrentState(final.H.squeeze(1), final.C?.squeeze(1)) : final);
    }

    /// <summary>
    /// Whether <see cref="forward(IndexedSequence, RecurrentState?)"/> now computes the first layer's input product once
    /// per distinct row: an LSTM of the fast or kernel backend, one direction, no dropout between its layers in training.
    /// Elsewhere it writes the input out, which a caller holding that input already can skip.
    /// </summary>
    public bool ProjectsDistinctRows => RunsAsOneNode;

    /// <summary>
    /// Runs the stack on an input given as distinct rows and their index: the result of
    /// <c>forward(input.Expand(), state)</c>, with the sums of the first layer's input product and its gradients taken
    /// in another order. Where the stack runs as one LSTM node that product is computed once per distinct row; any
    /// other stack runs the expanded input.
    /// </summary>
    public (Tensor output, RecurrentState state) forward(IndexedSequence input, RecurrentState? state = null)
    {
        if (input.Rows.dim() != 2 || input.Rows.shape[1] != InputSize)
            throw new ArgumentException($"{Cell} stack: indexed rows must be [U, {InputSize}], got [{string.Join(", ", input.Rows.shape)}]", nameof(input));
        if (input.Index.dtype != ScalarType.Int64)
            throw new ArgumentException($"{Cell} stack: the row index must be int64, got {input.Index.dtype}", nameof(input));
        var index = BatchFirst && input.Index.dim() == 2 ? input.Index.t() : input.Index;
        if (index.dim() != 2 || !RunsAsOneNode || LstmLayersFunction(index.shape[0], input.Rows) is not { } apply)
            return forward(input.Expand(), state);
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var initial = Initial(state, index.shape[1], unbatched: false, input.Rows);
        var (y, h, c) = apply(input.Rows, initial.H, initial.C!, EffectiveWeights(), index);
        return (RecurrentLayout.FromTimeMajor(y, unbatched: false, BatchFirst), new RecurrentState(h, c));
    }

    // Parameters are registered by name; a parent's RegisterComponents would otherwise register the fused module as a child (rnn.fused.*).
    protected override void RegisterComponents()
    {
    }

    public override void train(bool train = true)
    {
        base.train(train);
        fused?.train(train);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            fused?.Dispose();
        base.Dispose(disposing);
    }

    // module.to(...) moves the fused module natively; its parameters are then registered again under the same names.
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        if (fused is null)
        {
            base._toEpilog(dtype, device, non_blocking);
            return;
        }
        if (device is null)
            fused.to(dtype!.Value, non_blocking);
        else if (dtype is null)
            fused.to(device, non_blocking);
        else
            fused.to(device, dtype.Value, non_blocking);
        _internal_params.Clear();
        foreach (var (name, parameter) in fused.named_parameters())
            register_parameter(name, parameter);
        if (device is not null)
            (_deviceType, _deviceIndex) = (device.type, device.index);
    }

    private (Tensor output, RecurrentState state) RunLayers(Tensor x, RecurrentState initial)
    {
        trace?.Clear();
        var weights = EffectiveWeights();
        if (RunsAsOneNode && LstmLayersFunction(x.shape[0], x) is { } apply)
        {
            var (y, h, c) = apply(x, initial.H, initial.C!, weights, null);
            return (y, new RecurrentState(h, c));
        }
        var directions = Options.Directions;
        var hN = new Tensor[NumLayers * directions];
        var cN = new Tensor?[NumLayers * directions];
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
                var (y, h, c) = RunLayer(k, reverse, weights[index], sequence, initial.H[index], initial.C?[index]);
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
        return (layerInput, new RecurrentState(stack(hN), initial.C is null ? null : stack(cN.Select(c => c!))));
    }

    // One layer in one direction over the whole (time-major) sequence; c is null for GRU and RNN.
    private (Tensor output, Tensor h, Tensor? c) RunLayer(long k, bool reverse, RecurrentLayerWeights w, Tensor sequence, Tensor h0, Tensor? c0)
    {
        if (Cell == RecurrentCellKind.Lstm && LstmLayersFunction(sequence.shape[0], sequence) is { } apply)
        {
            var (y, hN, cN) = apply(sequence, h0.unsqueeze(0), c0!.unsqueeze(0), [w], null);
            return (y, hN[0], cN[0]);
        }
        if (Cell == RecurrentCellKind.Lstm)
            return RunReadableLstmLayer(k, reverse, Weights(k, reverse) with { WeightHh = w.WeightHh }, sequence, h0, c0!);
        var h = h0;
        var steps = new Tensor[sequence.shape[0]];
        for (long t = 0; t < steps.Length; t++)
        {
            steps[t] = h = Cell == RecurrentCellKind.Gru
                ? GruCell.Step(sequence[t], h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh)
                : RnnCell.Step(sequence[t], h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh, NonLinearity);
        }
        return (stack(steps), h, null);
    }

    // LstmLayerFunction's Apply: x (or distinct rows), h0, c0, the layers' weights, the rows' index or null.
    private delegate (Tensor output, Tensor h, Tensor c) LayersFunction(Tensor x, Tensor h0, Tensor c0, IReadOnlyList<RecurrentLayerWeights> layers, Tensor? rowIndex);

    // Nothing between the layers (an LSTM, one direction, no dropout between them in training): the hand-derived
    // backends run the whole stack as one node.
    private bool RunsAsOneNode => Cell == RecurrentCellKind.Lstm && Options.Directions == 1 && !(Dropout > 0 && training)
        && Backend.Kind is RecurrentBackendKind.Fast or RecurrentBackendKind.Kernel;

    // The hand-derived function of this stack's backend for `steps` steps of tensors like `like`, or null for the readable backend.
    private LayersFunction? LstmLayersFunction(long steps, Tensor like) => Backend.Kind switch
    {
        RecurrentBackendKind.Fast => LstmOpsLayerFunction.Apply,
        // One step (a sampler's call) cannot repay packing W_hh for the kernel, a pass that reads and writes all of
        // it: at hidden 650, batch 1, two layers took 1.23 ms a call through the kernel and 0.62 ms in libtorch ops.
        RecurrentBackendKind.Kernel when steps == 1 && LstmStepKernel.AppliesTo(like) => LstmOpsLayerFunction.Apply,
        RecurrentBackendKind.Kernel => LstmKernelLayerFunction.Apply,
        _ => null,
    };

    // The readable backend's LSTM layer: LstmCell.Step per time step, the variant's weights included, traced where asked.
    private (Tensor output, Tensor h, Tensor c) RunReadableLstmLayer(long k, bool reverse, LstmLayerWeights w, Tensor sequence, Tensor h0, Tensor c0)
    {
        var (h, c) = (h0, c0);
        var steps = new LstmStepValues[sequence.shape[0]];
        for (long t = 0; t < steps.Length; t++)
        {
            steps[t] = LstmCell.Step(sequence[t], h, c, w, Variant);
            (h, c) = (steps[t].H, steps[t].C);
        }
        trace?.Record(k, reverse, steps);
        return (stack(steps.Select(s => s.H)), h, c);
    }

    private (Tensor output, RecurrentState state) RunFused(Tensor x, RecurrentState initial)
    {
        switch (fused)
        {
            case LSTM lstm:
                var (output, h, c) = lstm.call(x, (initial.H, initial.C!));
                return (output, new RecurrentState(h, c));
            case nn.Module<Tensor, Tensor?, (Tensor, Tensor)> singleState: // nn.GRU, nn.RNN
                var (singleOutput, h1) = singleState.call(x, initial.H);
                return (singleOutput, new RecurrentState(h1, null));
            default:
                throw new InvalidOperationException($"unexpected fused module {fused?.GetType().Name}");
        }
    }

    private RecurrentState Initial(RecurrentState? given, long batch, bool unbatched, Tensor like)
    {
        if (given is null)
            return InitialState(batch, like);
        var layers = NumLayers * Options.Directions;
        var h = RecurrentLayout.State(given.H, layers, batch, StateSize, unbatched, like, "h0");
        if (Cell != RecurrentCellKind.Lstm)
            return new(h, null);
        if (given.C is null)
            throw new ArgumentException("an LSTM state needs c0 as well as h0", nameof(given));
        return new(h, RecurrentLayout.State(given.C, layers, batch, HiddenSize, unbatched, like, "c0"));
    }

    private nn.Module Fused(Device? device, ScalarType? dtype) => Cell switch
    {
        RecurrentCellKind.Lstm => nn.LSTM(InputSize, HiddenSize, NumLayers, Bias, batchFirst: false, Dropout,
            bidirectional: Variant.Bidirectional, device: device, dtype: dtype),
        RecurrentCellKind.Gru => nn.GRU(InputSize, HiddenSize, NumLayers, Bias, batchFirst: false, Dropout, device: device, dtype: dtype),
        _ => nn.RNN(InputSize, HiddenSize, NumLayers, NonLinearity, Bias, batchFirst: false, Dropout, device: device, dtype: dtype),
    };

    // Registered by name (not as fields) so the names are exactly nn.LSTM's / nn.GRU's / nn.RNN's and a state dict moves unchanged.
    private void RegisterExplicit(Device? device, ScalarType? dtype)
    {
        var gates = Cell switch { RecurrentCellKind.Lstm => 4, RecurrentCellKind.Gru => 3, _ => 1 };
        var v = Variant;
        for (long k = 0; k < NumLayers; k++)
        {
            foreach (var reverse in Options.Directions == 2 ? new[] { false, true } : [false])
            {
                var suffix = Suffix(k, reverse);
                RecurrentLayerWeights.Register(this, suffix, gates, k == 0 ? InputSize : OutputSize, HiddenSize, StateSize, Bias, device, dtype);
                if (v.ProjectionSize > 0)
                    register_parameter($"weight_hr{suffix}", RecurrentInit.Uniform([v.ProjectionSize, HiddenSize], HiddenSize, device, dtype));
                if (v.Peephole)
                {
                    foreach (var gate in new[] { "ci", "cf", "co" })
                        register_parameter($"weight_{gate}{suffix}", Filled([HiddenSize], 0.0, device, dtype));
                }
                if (v.LayerNorm)
                {
                    register_parameter($"ln_ih_gain{suffix}", Filled([4 * HiddenSize], 1.0, device, dtype));
                    register_parameter($"ln_hh_gain{suffix}", Filled([4 * HiddenSize], 1.0, device, dtype));
                    register_parameter($"ln_c_gain{suffix}", Filled([HiddenSize], 1.0, device, dtype));
                    register_parameter($"ln_c_bias{suffix}", Filled([HiddenSize], 0.0, device, dtype));
                }
            }
        }
    }

    // The forget-gate rows (the second of the four i, f, g, o blocks) of every bias_ih; none without a forget bias.
    private void ForEachForgetBlock(Action<Tensor> change)
    {
        if (Cell != RecurrentCellKind.Lstm || Variant.ForgetBias == 0)
            return;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.StartsWith("bias_ih", StringComparison.Ordinal))
                change(parameter.narrow(0, HiddenSize, HiddenSize));
        }
    }

    private static string Suffix(long k, bool reverse) => reverse ? $"_l{k}_reverse" : $"_l{k}";

    private static Parameter Filled(long[] shape, double value, Device? device, ScalarType? dtype)
    {
        using var fill = value.ToScalar();
        return new Parameter(full(shape, fill, dtype: dtype ?? get_default_dtype(), device: device));
    }
}
