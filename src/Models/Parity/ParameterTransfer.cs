using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>Copies parameters between two modules that use the same names and shapes (e.g. a RecurrentStack and nn.LSTM).</summary>
public static class ParameterTransfer
{
    /// <summary>Copies every parameter of <paramref name="source"/> into the same-named one of <paramref name="target"/>.</summary>
    /// <exception cref="InvalidOperationException">The two modules' parameter names or shapes differ.</exception>
    public static void Copy(nn.Module source, nn.Module target)
    {
        var from = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var to = target.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var missing = to.Keys.Except(from.Keys).ToList();
        var extra = from.Keys.Except(to.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidOperationException(
                $"parameter names differ: target lacks [{string.Join(", ", extra)}], source lacks [{string.Join(", ", missing)}].");
        using var noGrad = no_grad();
        foreach (var (name, dst) in to)
        {
            var src = from[name];
            if (!src.shape.SequenceEqual(dst.shape))
                throw new InvalidOperationException(
                    $"parameter {name}: source shape [{string.Join(", ", src.shape)}], target [{string.Join(", ", dst.shape)}].");
            dst.copy_(src);
        }
    }
}
