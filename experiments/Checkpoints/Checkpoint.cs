using System.Text;
using System.Text.Json;
using Research.Models.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Checkpoints;

/// <summary>
/// A complete training state in one file: meta (epoch, step, best metric, schedule, resolved config), the torch RNG
/// state, the model's parameters and the optimizer's state.
/// <code>
///   "RSCHKPT2" | meta JSON | rng bytes | model (TorchSharp module.save) | optimizer (the project's Optimizer.Save) | "END!"
/// </code>
/// RSCHKPT1, before the project had its own optimizers, held TorchSharp's optimizer state (save_state_dict) instead;
/// such a checkpoint still loads: the model part is the same, and the optimizer state is imported
/// (<see cref="TorchSharpOptimizerState"/>), or the load fails with one line saying why.
/// Written to a temporary file, flushed to disk, then renamed over the old one: a process killed at any moment
/// leaves either the previous checkpoint or the new one, never a torn file.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "RSCHKPT2"u8.ToArray();
    private static readonly byte[] MagicBeforeOwnOptimizers = "RSCHKPT1"u8.ToArray();
    private static readonly byte[] Trailer = "END!"u8.ToArray();

    public static void Save(string path, CheckpointMeta meta, nn.Module model, Optimizer optimizer)
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
            optimizer.Save(writer);
            writer.Write(Trailer);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads only the meta block (for listing runs and resuming decisions).</summary>
    public static CheckpointMeta ReadMeta(string path)
    {
        using var reader = Open(path, out _);
        return ReadMeta(reader, path);
    }

    /// <summary>Loads a checkpoint into an existing model and optimizer of the same configuration; restores the RNG.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a complete checkpoint of this format, or its optimizer state does not fit: one line says why.
    /// </exception>
    public static CheckpointMeta Load(string path, nn.Module model, Optimizer? optimizer)
    {
        using var reader = Open(path, out var beforeOwnOptimizers);
        var meta = ReadMeta(reader, path);
        var rng = reader.ReadBytes(reader.ReadInt32());
        model.load(reader);
        if (optimizer is null)
            return meta;
        try
        {
            if (beforeOwnOptimizers)
                optimizer.LoadTorchSharpState(reader);
            else
                optimizer.Load(reader);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(beforeOwnOptimizers
                ? $"{path}: the checkpoint predates the project's optimizers (RSCHKPT1) and its TorchSharp optimizer state cannot continue here: {e.Message}"
                : $"{path}: {e.Message}", e);
        }
        if (!reader.ReadBytes(Trailer.Length).AsSpan().SequenceEqual(Trailer))
            throw new InvalidDataException($"{path}: checkpoint is truncated (no end marker)");
        using (var state = tensor(rng, ScalarType.Byte))
            set_rng_state(state);
        return meta;
    }

    private static BinaryReader Open(string path, out bool beforeOwnOptimizers)
    {
        var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        var magic = reader.ReadBytes(Magic.Length);
        beforeOwnOptimizers = magic.AsSpan().SequenceEqual(MagicBeforeOwnOptimizers);
        if (beforeOwnOptimizers || magic.AsSpan().SequenceEqual(Magic))
            return reader;
        reader.Dispose();
        throw new InvalidDataException(magic.AsSpan().StartsWith("RSCHKPT"u8)
            ? $"{path}: a Research checkpoint of a newer format ({Encoding.ASCII.GetString(magic)}); this build reads RSCHKPT1 and RSCHKPT2"
            : $"{path}: not a Research checkpoint");
    }

    private static CheckpointMeta ReadMeta(BinaryReader reader, string path) =>
        JsonSerializer.Deserialize<CheckpointMeta>(reader.ReadString()) ?? throw new InvalidDataException($"{path}: empty checkpoint meta");

    private static byte[] RandomState()
    {
        using var state = get_rng_state();
        return state.data<byte>().ToArray();
    }
}
