using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Music;

/// <summary>
/// Polyphonic music as 88-key piano rolls (Boulanger-Lewandowski, Bengio &amp; Vincent 2012): each sequence is a
/// float32 tensor [T, 88] with roll[t, note − 21] = 1 when MIDI note (21..108, A0..C8) sounds at step t, else 0.
/// An empty step is an all-zero row. Steps are at the file's resolution (quarter notes for JSB Chorales).
/// </summary>
public sealed class PianoRollCorpus
{
    public const int LowestNote = 21;
    public const int HighestNote = 108;
    public const int Keys = HighestNote - LowestNote + 1;

    private PianoRollCorpus(IReadOnlyList<Tensor> train, IReadOnlyList<Tensor> valid, IReadOnlyList<Tensor> test) =>
        (Train, Valid, Test) = (train, valid, test);

    public IReadOnlyList<Tensor> Train { get; }
    public IReadOnlyList<Tensor> Valid { get; }
    public IReadOnlyList<Tensor> Test { get; }

    /// <summary>
    /// JSB Chorales from <c>jsb-chorales-quarter.json</c> (czhuang/JSB-Chorales-dataset): an object with keys
    /// <c>train</c>, <c>valid</c>, <c>test</c>; each a list of sequences; a sequence a list of steps; a step a list of
    /// MIDI note numbers (possibly empty). The standard split is 229 / 76 / 77 chorales. Any other shape, a note outside
    /// 21..108 or a repeated note within a step is a DataException naming the file and the place.
    /// </summary>
    public static PianoRollCorpus LoadJson(string path)
    {
        var bytes = Text.TextFile.ReadBytes(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw DataException.At(path, (e.LineNumber ?? 0) + 1, $"invalid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw DataException.In(path, "expected a JSON object with keys train, valid, test");
            return new PianoRollCorpus(Split(path, root, "train"), Split(path, root, "valid"), Split(path, root, "test"));
        }
    }

    /// <summary>A piano roll [steps, 88] from lists of MIDI notes per step; <paramref name="where"/> labels errors.</summary>
    public static Tensor FromSteps(IReadOnlyList<IReadOnlyList<int>> steps, string where = "sequence")
    {
        var roll = new float[steps.Count * Keys];
        for (var t = 0; t < steps.Count; t++)
        {
            foreach (var note in steps[t])
            {
                if (note is < LowestNote or > HighestNote)
                    throw new DataException($"{where}: step {t}: MIDI note {note} is outside the piano range {LowestNote}..{HighestNote}");
                ref var cell = ref roll[t * Keys + note - LowestNote];
                if (cell != 0)
                    throw new DataException($"{where}: step {t}: MIDI note {note} appears twice");
                cell = 1;
            }
        }
        return torch.tensor(roll, [steps.Count, Keys], ScalarType.Float32);
    }

    private static List<Tensor> Split(string path, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var sequences) || sequences.ValueKind != JsonValueKind.Array)
            throw DataException.In(path, $"missing list '{name}'");
        var rolls = new List<Tensor>(sequences.GetArrayLength());
        var index = 0;
        foreach (var sequence in sequences.EnumerateArray())
        {
            var where = $"{path}: {name}[{index}]";
            if (sequence.ValueKind != JsonValueKind.Array)
                throw new DataException($"{where}: expected a list of time steps");
            var steps = new List<IReadOnlyList<int>>(sequence.GetArrayLength());
            foreach (var step in sequence.EnumerateArray())
            {
                if (step.ValueKind != JsonValueKind.Array)
                    throw new DataException($"{where}: step {steps.Count}: expected a list of MIDI notes");
                var notes = new List<int>(4);
                foreach (var note in step.EnumerateArray())
                {
                    if (note.ValueKind != JsonValueKind.Number || !note.TryGetInt32(out var midi))
                        throw new DataException($"{where}: step {steps.Count}: '{note.GetRawText()}' is not an integer MIDI note");
                    notes.Add(midi);
                }
                steps.Add(notes);
            }
            rolls.Add(FromSteps(steps, where));
            index++;
        }
        return rolls;
    }
}
