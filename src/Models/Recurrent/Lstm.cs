using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of LSTM layers unrolled over time with <see cref="LstmCell.Step"/>: the explicit counterpart of nn.LSTM,
/// with the same constructor arguments, the same parameter names and shapes (weight_ih_l{k} [4H, in_k],
/// weight_hh_l{k} [4H, H], bias_ih_l{k}, bias_hh_l{k}), the same initialisation and the same results.
/// <code>
///   input  [T, B, in]  (or [B, T, in] with batchFirst, or [T, in] unbatched)
///   h0, c0 [L, B, H]   (never batch-first, as in PyTorch; zeros when not given)
///   output [T, B, H]   the last layer's h at every step
///   h_n, c_n [L, B, H] every layer's state after the last step
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

    /// <summary>How the layers are computed; same parameters and results either way. Can be switched at any time.</summary>
    public LstmImplementation Implementation { get; set; }

    public Lstm(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0.0, Device? device = null, ScalarType? dtype = null,
        LstmImplementation implementation = LstmImplementation.Readable)
        : base(nameof(Lstm))
    {
        Implementation = implementation;
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        RecurrentShapes.RequirePositive(numLayers, nameof(numLayers));
        if (dropout is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        (InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout);

        // Registered by name (not as fields) so the names are exactly nn.LSTM's and a state dict moves unchanged.
        for (long k = 0; k < numLayers; k++)
        {
            var layerInput = k == 0 ? inputSize : hiddenSize;
            register_parameter($"weight_ih_l{k}", RecurrentInit.Uniform([4 * hiddenSize, layerInput], hiddenSize, device, dtype));
            register_parameter($"weight_hh_l{k}", RecurrentInit.Uniform([4 * hiddenSize, hiddenSize], hiddenSize, device, dtype));
            if (bias)
            {
                register_parameter($"bias_ih_l{k}", RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype));
                register_parameter($"bias_hh_l{k}", RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype));
            }
        }
    }

    /// <summary>The parameters of layer k. Looked up on each call: module.to(...) replaces Parameter objects.</summary>
    public (Parameter weightIh, Parameter weightHh, Parameter? biasIh, Parameter? biasHh) Layer(long k) => (
        get_parameter($"weight_ih_l{k}")!,
        get_parameter($"weight_hh_l{k}")!,
        Bias ? get_parameter($"bias_ih_l{k}") : null,
        Bias ? get_parameter($"bias_hh_l{k}") : null);

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

        var hN = new Tensor[NumLayers];
        var cN = new Tensor[NumLayers];
        var layerInput = x;
        for (long k = 0; k < NumLayers; k++)
        {
            var (wIh, wHh, bIh, bHh) = Layer(k);
            Tensor h, c;
            if (Implementation == LstmImplementation.Fast)
            {
                (layerInput, h, c) = LstmLayerFunction.Apply(layerInput, h0[k], c0[k], wIh, wHh, bIh, bHh);
            }
            else
            {
                (h, c) = (h0[k], c0[k]);
                var steps = new Tensor[x.shape[0]];
                for (long t = 0; t < steps.Length; t++)
                {
                    (h, c) = LstmCell.Step(layerInput[t], h, c, wIh, wHh, bIh, bHh);
                    steps[t] = h;
                }
                layerInput = stack(steps);
            }
            // As nn.LSTM: dropout on the outputs of every layer but the last, in training only.
            if (Dropout > 0 && training && k < NumLayers - 1)
                layerInput = nn.functional.dropout(layerInput, Dropout, training);
            (hN[k], cN[k]) = (h, c);
        }

        var output = unbatched ? layerInput.squeeze(1) : BatchFirst ? layerInput.transpose(0, 1) : layerInput;
        var hOut = stack(hN);
        var cOut = stack(cN);
        return unbatched ? (output, (hOut.squeeze(1), cOut.squeeze(1))) : (output, (hOut, cOut));
    }

    private (Tensor h0, Tensor c0) InitialState((Tensor h, Tensor c)? state, long batch, bool unbatched, Tensor like)
    {
        long[] expected = [NumLayers, batch, HiddenSize];
        if (state is not { } s)
            return (zeros(expected, dtype: like.dtype, device: like.device), zeros(expected, dtype: like.dtype, device: like.device));
        var (h0, c0) = unbatched ? (s.h.unsqueeze(1), s.c.unsqueeze(1)) : (s.h, s.c);
        RecurrentShapes.RequireShape(h0, expected, "h0");
        RecurrentShapes.RequireShape(c0, expected, "c0");
        return (h0, c0);
    }
}
