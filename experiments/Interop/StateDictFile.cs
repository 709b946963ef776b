using System.Collections;
using Research.Data;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Research.Experiments.Interop;

/// <summary>The two weight-file formats exchanged with Python.</summary>
public enum WeightFormat
{
    /// <summary>A PyTorch <c>state_dict</c> saved with <c>torch.save</c> (zip of a pickle and raw storages), .pt or .pth.</summary>
    Pt,

    /// <summary>Hugging Face safetensors: a JSON header and raw little-endian tensors, .safetensors.</summary>
    Safetensors,
}

/// <summary>
/// Reads and writes a module's weights as PyTorch state_dict files (.pt) and safetensors, through TorchSharp.PyBridge.
/// Names are the module's state_dict keys: the explicit LSTM already uses nn.LSTM's (weight_ih_l0, ...).
/// </summary>
public static class StateDictFile
{
    public static readonly IReadOnlyList<string> Extensions = [".pt", ".pth", ".safetensors"];

    /// <summary>The format a file name says, or null for any other extension.</summary>
    public static WeightFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pt" or ".pth" => WeightFormat.Pt,
        ".safetensors" => WeightFormat.Safetensors,
        _ => null,
    };

    public static string Extension(WeightFormat format) => format == WeightFormat.Pt ? ".pt" : ".safetensors";

    /// <summary>Writes every state_dict entry of <paramref name="module"/> (parameters and persistent buffers).</summary>
    public static void Write(string path, nn.Module module, WeightFormat format)
    {
        if (format == WeightFormat.Pt)
            module.save_py(path);
        else
            module.save_safetensors(path);
    }

    /// <summary>Every tensor of a weight file, on the CPU, by name. The caller disposes them.</summary>
    /// <exception cref="DataException">The file is missing, has another extension, or is not a file of its format: one line.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw DataException.In(path, "no such weight file");
        var format = FormatOf(path) ?? throw DataException.In(path, $"not a weight file: the name must end in {string.Join(", ", Extensions)}");
        try
        {
            if (format == WeightFormat.Safetensors)
                return Safetensors.LoadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor value)
                    throw new InvalidDataException($"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor (save model.state_dict() itself)");
                tensors[name] = value;
            }
            return tensors;
        }
        catch (Exception e) when (e is not DataException and not OutOfMemoryException)
        {
            var reason = e.Message.Split('\n')[0].Trim();
            throw DataException.In(path, $"not a {(format == WeightFormat.Pt ? "PyTorch state_dict (.pt)" : "safetensors")} file: {reason}");
        }
    }
}
