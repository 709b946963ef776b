using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>Argument checks shared by the recurrent modules, so a wrong shape fails with a sentence, not a libtorch trace.</summary>
public static class RecurrentShapes
{
    public static void RequirePositive(long value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, got {value}.");
    }

    public static void RequireShape(Tensor t, long[] expected, string name)
    {
        if (!t.shape.SequenceEqual(expected))
            throw new ArgumentException($"{name} has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", expected)}].", name);
    }
}
