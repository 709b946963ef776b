using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Research.Experiments.Tests.Interop;

/// <summary>Runs an ONNX file in ONNX Runtime (CPU) on TorchSharp tensors (int64 or float32) and returns every output.</summary>
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
}
