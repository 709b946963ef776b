using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Runtime;

/// <summary>Loads libtorch once and turns a load failure into one sentence that says what to do.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> with a one-line cause if libtorch cannot be loaded. Loads
    /// <see cref="MklVendorShim"/> first, where it applies, so that MKL's first product sees it, and sets
    /// <see cref="NativeHeap"/> before the first tensor.
    /// </summary>
    public static void EnsureLoaded()
    {
        NativeHeap.Apply();
        MklVendorShim.Apply();
        try
        {
            _ = torch.get_default_dtype();
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            var hint = RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                ? "libLibTorchSharp.so failed to load; if `ldd` on it reports GLIBCXX_3.4.32 missing, rebuild with scripts/research (the build marks that version weak) or install a newer libstdc++6"
                : "libtorch failed to load; check that the TorchSharp natives for this OS were restored";
            throw new InvalidOperationException($"TorchSharp could not start: {hint}.", e);
        }
    }

    public static string LibTorchVersion => torch.__version__;

    public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
