using System.Text;
using System.Text.Json;
using Research.Experiments.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Checkpoints;

/// <summary>Writes a checkpoint as the project did before it had its own optimizers (RSCHKPT1: TorchSharp's optimizer state).</summary>
internal static class LegacyCheckpoint
{
    public static void Write(string path, CheckpointMeta meta, nn.Module model, OptimizerHelper optimizer, string magic = "RSCHKPT1")
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(Encoding.ASCII.GetBytes(magic));
        writer.Write(JsonSerializer.Serialize(meta));
        using var rng = get_rng_state();
        var bytes = rng.data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
        model.save(writer);
        optimizer.save_state_dict(writer);
        writer.Write("END!"u8.ToArray());
    }
}
