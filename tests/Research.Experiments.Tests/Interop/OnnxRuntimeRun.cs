using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Research.Experiments.Tests.Interop;

/// <summary>Runs an ONNX file in ONNX Runtime (CPU) on TorchSharp tensors (int64 or float32) and compares its outputs with TorchSharp's.</summary>
internal static class OnnxRuntimeRun
{
    public static Dictionary<string, (float[] Values, long[] Shape)> Run(string path, IReadOnlyDictionary<string, Tensor> feeds)
    {
        using var session = new InferenceSession(path);
        var inputs = feeds.Select(kv => kv.Value.dtype == ScalarType.Int64
            ? NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<long>(kv.Value.contiguous().data<long>().ToArray(), Dims(kv.Value)))
            : NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<float>(kv.Value.to_type(ScalarType.Float32).contiguous().data<float>().ToArray(), Dims(kv.Value)))).ToList();
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            return (tensor.ToArray(), tensor.Dimensions.ToArray().Select(d => (long)d).ToArray());
        });
    }

    private static int[] Dims(Tensor t) => [.. t.shape.Select(d => (int)d)];

    public const double Tolerance = 1e-5;

    /// <summary>Same shape, and every value within <see cref="Tolerance"/> (float32); logs the largest difference.</summary>
    public static void AssertClose(ITestOutputHelper log, string what, Tensor expected, (float[] Values, long[] Shape) actual)
    {
        Assert.Equal(expected.shape, actual.Shape);
        var ours = expected.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var difference = ours.Zip(actual.Values, (a, b) => Math.Abs((double)a - b)).Max();
        log.WriteLine($"{what} [{string.Join(", ", actual.Shape)}]: max |ONNX Runtime - TorchSharp| = {difference:G3}");
        Assert.True(difference <= Tolerance, $"{what}: max |ONNX Runtime - TorchSharp| = {difference:G3} > {Tolerance:G3}");
    }
}
