using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Central finite differences against the gradients autograd has already left in each tensor's .grad (float64).</summary>
internal static class FiniteDifferences
{
    public static void AssertMatchAutograd(IEnumerable<(string name, Tensor value)> tensors, Func<double> loss,
        double eps = 1e-6, double tolerance = 1e-7)
    {
        foreach (var (name, value) in tensors)
        {
            var grad = value.grad!.clone();
            var flat = value.detach().view(-1); // shares storage with value
            for (long k = 0; k < flat.shape[0]; k++)
            {
                // Every intermediate of this entry (the losses' too) is held until it is done, then freed: none is left
                // for the finaliser, which could free it while libtorch still reads it.
                using var scope = NewDisposeScope();
                var original = flat[k].item<double>();
                flat[k] = original + eps;
                var plus = loss();
                flat[k] = original - eps;
                var minus = loss();
                flat[k] = original;
                var numeric = (plus - minus) / (2 * eps);
                var analytic = grad.view(-1)[k].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"{name}[{k}]: autograd {analytic}, finite difference {numeric}");
            }
        }
    }
}
