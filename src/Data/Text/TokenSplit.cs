using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Text;

/// <summary>
/// One split of a corpus as a flat id stream (words with <c>&lt;eos&gt;</c>, or characters).
/// <see cref="OutOfVocabulary"/> counts tokens that were not in the vocabulary and were mapped to
/// <c>&lt;unk&gt;</c> by the loader (the corpus's own literal <c>&lt;unk&gt;</c> tokens are not counted).
/// </summary>
public sealed class TokenSplit(string name, int[] ids, string? sourcePath = null, int lines = 0, int outOfVocabulary = 0)
{
    public string Name { get; } = name;

    /// <summary>Token ids in stream order. Do not modify.</summary>
    public int[] Ids { get; } = ids;

    public string? SourcePath { get; } = sourcePath;

    /// <summary>Lines read (one <c>&lt;eos&gt;</c> each for word corpora); 0 where the split did not come from lines.</summary>
    public int Lines { get; } = lines;

    public int OutOfVocabulary { get; } = outOfVocabulary;

    public int Length => Ids.Length;

    /// <summary>The ids as a new 1-D int64 tensor [Length] on the CPU.</summary>
    public Tensor ToTensor() => torch.tensor(Array.ConvertAll(Ids, static id => (long)id), ScalarType.Int64);

    public override string ToString() => $"{Name}: {Length:N0} tokens";
}
