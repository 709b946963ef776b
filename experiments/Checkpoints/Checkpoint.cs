using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Experiments.Checkpoints;

/// <summary>
/// A complete training state in one file: meta (epoch, step, best metric, schedule, resolved config), the torch RNG
/// state, the model's parameters and the optimizer's state.
/// <code>
///   "RSCHKPT1" | meta JSON | rng bytes | model (TorchSharp module.save) | optimizer (save_state_dict) | "END!"
/// </code>
/// Written to a temporary file, flushed to disk, then renamed over the old one: a process killed at any moment
/// leaves either the previous checkpoint or the new one, never a torn file.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "RSCHKPT1"u8.ToArray();
    private static readonly byte[] Trailer = "END!"u8.ToArray();

    public static void Save(string path, CheckpointMeta meta, nn.Module model, OptimizerHelper optimizer)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(meta));
            var rng = RandomState();
            writer.Write(rng.Length);
            writer.Write(rng);
            model.save(writer);
            optimizer.save_state_dict(writer);
            writer.Write(Trailer);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads only the meta block (for listing runs and resuming decisions).</summary>
    public static CheckpointMeta ReadMeta(string path)
    {
        using var reader = Open(path);
        return ReadMeta(reader, path);
    }

    /// <summary>Loads a checkpoint into an existing model and optimizer of the same configuration; restores the RNG.</summary>
    /// <exception cref="InvalidDataException">The file is not a complete checkpoint of this format.</exception>
    public static CheckpointMeta Load(string path, nn.Module model, OptimizerHelper? optimizer)
    {
        using var reader = Open(path);
        var meta = ReadMeta(reader, path);
        var rng = reader.ReadBytes(reader.ReadInt32());
        model.load(reader);
        if (optimizer is null)
            return meta;
        optimizer.load_state_dict(reader);
        if (!reader.ReadBytes(Trailer.Length).AsSpan().SequenceEqual(Trailer))
            throw new InvalidDataException($"{path}: checkpoint is truncated (no end marker)");
        using (var state = tensor(rng, ScalarType.Byte))
            set_rng_state(state);
        return meta;
    }

    private static BinaryReader Open(string path)
    {
        var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            reader.Dispose();
            throw new InvalidDataException($"{path}: not a Research checkpoint");
        }
        return reader;
    }

    private static CheckpointMeta ReadMeta(BinaryReader reader, string path) =>
        JsonSerializer.Deserialize<CheckpointMeta>(reader.ReadString()) ?? throw new InvalidDataException($"{path}: empty checkpoint meta");

    private static byte[] RandomState()
    {
        using var state = get_rng_state();
        return state.data<byte>().ToArray();
    }
}
