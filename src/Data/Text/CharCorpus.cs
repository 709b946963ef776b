using System.Text;

namespace Research.Data.Text;

/// <summary>
/// A character-level corpus: train / valid / test id streams over a symbol <see cref="Vocabulary"/> whose tokens are
/// single characters (Unicode scalar values, so a character outside the BMP is one symbol, as in Python).
/// <para>
/// The vocabulary is the SORTED set of characters (by code point, Python's <c>sorted(set(text))</c>) of ALL the text
/// the corpus was built from, as char-rnn, nanoGPT and Keras' lstm_text_generation do; so valid/test never hold an
/// unknown symbol. Optional lower-casing (Keras: <c>text.lower()</c>) uses invariant simple case mapping; identical to
/// Python's <c>lower()</c> on ASCII text. With <c>translateNewlines</c> (the default) "\r\n" and a lone '\r' become
/// '\n' before anything else, as Python's text-mode <c>open()</c> does for nanoGPT and Keras, so a CRLF copy of a
/// corpus gives the same symbols; without it '\r' is a symbol of its own. With <c>newlinesToSpaces</c> each '\n' is then
/// read as a space (Keras: <c>text.replace("\n", " ")</c>). (char-rnn, in Lua, reads raw bytes: on
/// ASCII text such as Tiny Shakespeare its symbols are the same.)
/// </para>
/// </summary>
public sealed class CharCorpus
{
    private CharCorpus(Vocabulary vocabulary, TokenSplit train, TokenSplit valid, TokenSplit test) =>
        (Vocabulary, Train, Valid, Test) = (vocabulary, train, valid, test);

    public Vocabulary Vocabulary { get; }
    public TokenSplit Train { get; }
    public TokenSplit Valid { get; }

    /// <summary>Empty (Length 0) when the split fractions leave nothing for test, e.g. char-rnn's 95/5.</summary>
    public TokenSplit Test { get; }

    /// <summary>Total characters over the three splits.</summary>
    public int Length => Train.Length + Valid.Length + Test.Length;

    /// <summary>
    /// One file cut by fraction. With n characters the cut points are <c>(int)(n * trainFraction)</c> and
    /// <c>(int)(n * (trainFraction + validFraction))</c> (Python's <c>int(n * f)</c>, rounding toward zero): train is
    /// [0, cut1), valid [cut1, cut2), test [cut2, n). Tiny Shakespeare at 0.9 (nanoGPT shakespeare_char): train
    /// 1,003,854 characters, valid 111,540. At char-rnn's 0.95 / 0.05 the cut is at 1,059,624 and test is empty.
    /// char-rnn itself cuts at whole batches (batch_size x seq_length blocks) after dropping the remainder; this cut
    /// is at the character, which keeps every character.
    /// </summary>
    public static CharCorpus FromFile(string path, double trainFraction = 0.95, double validFraction = 0.05, bool lowerCase = false,
        bool translateNewlines = true, bool newlinesToSpaces = false) =>
        FromText(TextFile.ReadAll(path), trainFraction, validFraction, lowerCase, translateNewlines, path, newlinesToSpaces);

    /// <summary>As <see cref="FromFile"/>, on text already in memory (<paramref name="sourcePath"/> is only a label).</summary>
    public static CharCorpus FromText(string text, double trainFraction = 0.95, double validFraction = 0.05, bool lowerCase = false,
        bool translateNewlines = true, string? sourcePath = null, bool newlinesToSpaces = false)
    {
        if (trainFraction is <= 0 or > 1 || validFraction < 0 || trainFraction + validFraction > 1 + 1e-12)
            throw new ArgumentOutOfRangeException(nameof(trainFraction), $"fractions must satisfy 0 < train <= 1, valid >= 0, train + valid <= 1 (got {trainFraction}, {validFraction})");
        var symbols = ToScalars(Prepare(text, lowerCase, translateNewlines, newlinesToSpaces));
        var vocabulary = SortedSymbols(symbols);
        var ids = Encode(symbols, vocabulary);
        var n = ids.Length;
        var cut1 = (int)(n * trainFraction);
        var cut2 = trainFraction + validFraction >= 1 ? n : Math.Max(cut1, (int)(n * (trainFraction + validFraction)));
        return new CharCorpus(vocabulary,
            new TokenSplit("train", ids[..cut1], sourcePath),
            new TokenSplit("valid", ids[cut1..cut2], sourcePath),
            new TokenSplit("test", ids[cut2..], sourcePath));
    }

    /// <summary>Separate files per split (test optional); the vocabulary covers all of them.</summary>
    public static CharCorpus FromFiles(string trainPath, string validPath, string? testPath = null, bool lowerCase = false,
        bool translateNewlines = true, bool newlinesToSpaces = false)
    {
        Rune[] Read(string path) => ToScalars(Prepare(TextFile.ReadAll(path), lowerCase, translateNewlines, newlinesToSpaces));
        var train = Read(trainPath);
        var valid = Read(validPath);
        var test = testPath is null ? [] : Read(testPath);
        var vocabulary = SortedSymbols([.. train, .. valid, .. test]);
        return new CharCorpus(vocabulary,
            new TokenSplit("train", Encode(train, vocabulary), trainPath),
            new TokenSplit("valid", Encode(valid, vocabulary), validPath),
            new TokenSplit("test", Encode(test, vocabulary), testPath));
    }

    /// <summary>Ids back to text, e.g. to print a sample.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var builder = new StringBuilder();
        foreach (var id in ids)
            builder.Append(Vocabulary[id]);
        return builder.ToString();
    }

    private static string Prepare(string text, bool lowerCase, bool translateNewlines, bool newlinesToSpaces)
    {
        if (translateNewlines && text.Contains('\r'))
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (newlinesToSpaces)
            text = text.Replace('\n', ' ');
        return lowerCase ? text.ToLowerInvariant() : text;
    }

    private static Rune[] ToScalars(string text)
    {
        var runes = new List<Rune>(text.Length);
        foreach (var rune in text.EnumerateRunes())
            runes.Add(rune);
        return [.. runes];
    }

    private static Vocabulary SortedSymbols(Rune[] symbols)
    {
        var distinct = new HashSet<Rune>(symbols).ToList();
        distinct.Sort();
        return new Vocabulary(distinct.Select(r => r.ToString()));
    }

    private static int[] Encode(Rune[] symbols, Vocabulary vocabulary)
    {
        var table = new Dictionary<Rune, int>();
        for (var id = 0; id < vocabulary.Count; id++)
            table[Rune.GetRuneAt(vocabulary[id], 0)] = id;
        var ids = new int[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
            ids[i] = table[symbols[i]];
        return ids;
    }
}
