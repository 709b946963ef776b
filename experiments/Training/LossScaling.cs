using Research.Experiments.Settings;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Training;

/// <summary>The configured loss scale: the batch mean, or (Zaremba's code) that mean times the unrolled steps.</summary>
public static class LossScaling
{
    public static Tensor Apply(Tensor mean, long steps, LossScale scale)
    {
        if (scale == LossScale.Mean)
            return mean;
        // An explicit Scalar kept alive across the native call: an implicit one may be finalised mid-call.
        using var factor = ((double)steps).ToScalar();
        return mean.mul(factor);
    }
}
