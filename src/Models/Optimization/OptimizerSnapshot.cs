using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// An optimizer's state as saved, and the checks before an optimizer adopts it.
/// <code>
///   "research-optimizer/1" | kind | lr | n, (name, value)ⁿ hyperparameters | m, slot nameᵐ
///   | p, then per parameter: step, per slot: present?, tensor (TorchSharp's Tensor.Save: dtype, shape, bytes)
/// </code>
/// The tensors are read onto the CPU in the caller's dispose scope; <see cref="CheckAgainst"/> copies them.
/// </summary>
internal sealed record OptimizerSnapshot(
    string Kind,
    double LearningRate,
    IReadOnlyList<(string Name, double Value)> Hyperparameters,
    IReadOnlyList<string> SlotNames,
    long[] Steps,
    Tensor?[][] Slots)
{
    private const string Format = "research-optimizer/1";

    public static void Write(BinaryWriter writer, string kind, double learningRate, IReadOnlyList<(string Name, double Value)> hyperparameters,
        IReadOnlyList<string> slotNames, long[] steps, Tensor?[][] slots)
    {
        writer.Write(Format);
        writer.Write(kind);
        writer.Write(learningRate);
        writer.Write(hyperparameters.Count);
        foreach (var (name, value) in hyperparameters)
        {
            writer.Write(name);
            writer.Write(value);
        }
        writer.Write(slotNames.Count);
        foreach (var name in slotNames)
            writer.Write(name);
        writer.Write(steps.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            writer.Write(steps[i]);
            foreach (var slot in slots[i])
            {
                writer.Write(slot is not null);
                slot?.Save(writer);
            }
        }
    }

    public static OptimizerSnapshot Read(BinaryReader reader)
    {
        try
        {
            return ReadUnchecked(reader);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("optimizer state: ends early (truncated, or not an optimizer state)");
        }
    }

    private static OptimizerSnapshot ReadUnchecked(BinaryReader reader)
    {
        var format = reader.ReadString();
        if (format != Format)
            throw new InvalidDataException($"optimizer state: not in the format {Format} (read '{Shorten(format)}')");
        var kind = reader.ReadString();
        var learningRate = reader.ReadDouble();
        var hyperparameters = Enumerable.Range(0, reader.ReadInt32()).Select(_ => (reader.ReadString(), reader.ReadDouble())).ToList();
        var slotNames = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToList();
        var count = reader.ReadInt32();
        var steps = new long[count];
        var slots = new Tensor?[count][];
        for (var i = 0; i < count; i++)
        {
            steps[i] = reader.ReadInt64();
            slots[i] = [.. slotNames.Select(_ => reader.ReadBoolean() ? TensorExtensionMethods.Load(reader) : null)];
        }
        return new(kind, learningRate, hyperparameters, slotNames, steps, slots);
    }

    /// <summary>
    /// Fails with one line on the first difference from the adopting optimizer (kind, options, parameter count, a
    /// tensor's dtype or shape); otherwise returns detached copies of the slots on each parameter's device. An option
    /// this state lacks counts as its value in <paramref name="olderDefaults"/> (a state saved before the option existed).
    /// </summary>
    public Tensor?[][] CheckAgainst(string kind, IReadOnlyList<(string Name, double Value)> hyperparameters,
        IReadOnlyList<(string Name, double Value)> olderDefaults, IReadOnlyList<string> slotNames, IReadOnlyList<Parameter> parameters)
    {
        if (Kind != kind)
            throw new InvalidDataException($"optimizer state: saved by {Kind}, this optimizer is {kind}");
        foreach (var (name, value) in hyperparameters)
        {
            var saved = Hyperparameters.Where(h => h.Name == name).Select(h => (double?)h.Value).FirstOrDefault()
                ?? olderDefaults.Where(h => h.Name == name).Select(h => (double?)h.Value).FirstOrDefault();
            if (saved != value)
                throw new InvalidDataException($"optimizer state: {name} is {Text(saved)} in the saved state, {Text(value)} here");
        }
        if (!SlotNames.SequenceEqual(slotNames))
            throw new InvalidDataException($"optimizer state: slots [{string.Join(", ", SlotNames)}] saved, [{string.Join(", ", slotNames)}] here");
        if (Steps.Length != parameters.Count)
            throw new InvalidDataException($"optimizer state: {Steps.Length} parameters saved, this optimizer has {parameters.Count}");
        for (var i = 0; i < parameters.Count; i++)
        {
            for (var s = 0; s < slotNames.Count; s++)
            {
                if (Slots[i][s] is { } t && (t.dtype != parameters[i].dtype || !t.shape.SequenceEqual(parameters[i].shape)))
                    throw new InvalidDataException($"optimizer state: parameter {i}'s {slotNames[s]} is {Describe(t)} in the saved state, "
                        + $"the parameter is {Describe(parameters[i])}");
            }
        }
        using var noGrad = no_grad();
        return [.. parameters.Select((p, i) => Slots[i].Select(t => t is null ? null : empty_like(p).DetachFromDisposeScope().copy_(t)).ToArray())];
    }

    private static string Describe(Tensor t) => $"{t.dtype.ToString().ToLowerInvariant()} [{string.Join(", ", t.shape)}]";

    private static string Text(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "absent";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
