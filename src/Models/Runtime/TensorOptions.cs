using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>Parses the device and dtype names that commands and configs accept, with errors that name the value.</summary>
public static class TensorOptions
{
    public static readonly IReadOnlyDictionary<string, ScalarType> Dtypes = new Dictionary<string, ScalarType>
    {
        ["float32"] = ScalarType.Float32,
        ["float64"] = ScalarType.Float64,
    };

    public static ScalarType ParseDtype(string name) => Dtypes.TryGetValue(name, out var t)
        ? t
        : throw new ArgumentException($"unknown dtype '{name}' (use {string.Join(" or ", Dtypes.Keys)})");

    /// <summary>cpu, cuda or cuda:N; cuda only when a CUDA device and the CUDA build of TorchSharp are present.</summary>
    public static Device ParseDevice(string name)
    {
        if (name == "cpu")
            return CPU;
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"device '{name}' requested but CUDA is not available (build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU)");
            return device(name);
        }
        throw new ArgumentException($"unknown device '{name}' (use cpu, cuda or cuda:N)");
    }
}
