using Research.Models.Regularisation;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of recurrent layers whose state is one tensor h (GRU, Elman RNN), unrolled over time with a cell's Step:
/// the explicit counterpart of nn.GRU / nn.RNN, with their constructor arguments, parameter names and shapes
/// (weight_ih_l{k} [G·H, in_k], weight_hh_l{k} [G·H, H], bias_ih_l{k}, bias_hh_l{k}), initialisation and results.
/// <code>
///   input  [T, B, in]  (or [B, T, in] with batchFirst, or [T, in] unbatched)
///   h0     [L, B, H]   (never batch-first, as in PyTorch; zeros when not given)
///   output [T, B, H]   the last layer's h at every step
///   h_n    [L, B, H]   every layer's state after the last step
/// </code>
/// Regularisation, in training only: <c>dropout</c> on the outputs of every layer but the last, a fresh mask per
/// element as nn.GRU, or with <c>lockedDropout</c> one mask per sequence shared over time (AWD-LSTM's dropouth);
/// and <c>weightDrop</c>, DropConnect on every W_hh with one mask per forward pass (AWD-LSTM's wdrop).
/// </summary>
public abstract class SingleStateRecurrentStack : nn.Module<Tensor, Tensor?, (Tensor output, Tensor h)>
{
    public readonly long InputSize;
    public readonly long HiddenSize;
    public readonly long NumLayers;
    public readonly bool Bias;
    public readonly bool BatchFirst;
    public readonly double Dropout;
    public readonly double WeightDrop;
    public readonly bool DropoutIsLocked;

    protected SingleStateRecurrentStack(string name, long gates, long inputSize, long hiddenSize, long numLayers, bool bias,
        bool batchFirst, double dropout, double weightDrop, bool lockedDropout, Device? device, ScalarType? dtype)
        : base(name)
    {
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        RecurrentShapes.RequirePositive(numLayers, nameof(numLayers));
        DropoutRate.Require(dropout, nameof(dropout));
        DropoutRate.Require(weightDrop, nameof(weightDrop));
        (InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout, WeightDrop, DropoutIsLocked) =
            (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, weightDrop, lockedDropout);

        // Registered by name (not as fields) so the names are exactly PyTorch's and a state dict moves unchanged.
        for (long k = 0; k < numLayers; k++)
            RecurrentLayerWeights.Register(this, $"_l{k}", gates, k == 0 ? inputSize : hiddenSize, hiddenSize, bias, device, dtype);
    }

    /// <summary>The raw parameters of layer k, looked up by name (module.to(...) replaces Parameter objects).</summary>
    public RecurrentLayerWeights Layer(long k) => RecurrentLayerWeights.Of(this, $"_l{k}", Bias);

    /// <summary>
    /// The weights one forward pass uses, per layer: the raw ones, with W_hh through DropConnect in training. Computed
    /// once per forward, so every time step sees the same mask and gradients flow back to the raw W_hh.
    /// </summary>
    public RecurrentLayerWeights[] EffectiveWeights()
    {
        var layers = new RecurrentLayerWeights[NumLayers];
        for (long k = 0; k < NumLayers; k++)
            layers[k] = Layer(k).WithDropConnect(WeightDrop, training);
        return layers;
    }

    /// <summary>One time step of one layer: x [B, in_k], h [B, H] → h' [B, H].</summary>
    protected abstract Tensor Step(Tensor x, Tensor h, RecurrentLayerWeights weights);

    /// <summary>Runs the stack with hooks, as nn.GRU's call; h0 defaults to zeros.</summary>
    public new (Tensor output, Tensor h) call(Tensor input, Tensor? h0 = null) => base.call(input, h0);

    public override (Tensor output, Tensor h) forward(Tensor input, Tensor? h0 = null)
    {
        var unbatched = RecurrentLayout.CheckInput(input, InputSize, GetType().Name);
        var x = RecurrentLayout.ToTimeMajor(input, unbatched, BatchFirst);
        var initial = RecurrentLayout.State(h0, NumLayers, x.shape[1], HiddenSize, unbatched, x, "h0");
        var weights = EffectiveWeights();

        var hN = new Tensor[NumLayers];
        var layerInput = x;
        for (long k = 0; k < NumLayers; k++)
        {
            var h = initial[k];
            var steps = new Tensor[x.shape[0]];
            for (long t = 0; t < steps.Length; t++)
                steps[t] = h = Step(layerInput[t], h, weights[k]);
            layerInput = stack(steps);
            // As nn.GRU / nn.RNN: dropout on the outputs of every layer but the last, in training only.
            if (Dropout > 0 && training && k < NumLayers - 1)
            {
                layerInput = DropoutIsLocked
                    ? LockedDropout.Apply(layerInput, Dropout, training)
                    : nn.functional.dropout(layerInput, Dropout, training);
            }
            hN[k] = h;
        }

        var hOut = stack(hN);
        return (RecurrentLayout.FromTimeMajor(layerInput, unbatched, BatchFirst), unbatched ? hOut.squeeze(1) : hOut);
    }
}
