using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>
/// A one-element tensor read as a .NET number. TorchSharp's <c>Tensor.ToDouble()</c> is <c>ToScalar().ToDouble()</c>:
/// the Scalar in between is unreachable while libtorch converts it, so the finaliser can free it mid-call (seen under
/// GC stress as "terminate called … c10::Scalar::toDouble", the process killed). Here it is held until the call returned.
/// </summary>
public static class TensorValues
{
    public static double ReadDouble(this Tensor value)
    {
        using var scalar = value.ToScalar();
        return scalar.ToDouble();
    }
}
