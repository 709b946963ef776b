namespace Research.Data.Text;

/// <summary>
/// A word-level language-modelling corpus: train / valid / test id streams over one <see cref="Vocabulary"/>.
/// <para>
/// Tokenisation follows pytorch/examples word_language_model (data.py): each line is split on whitespace
/// (Python's <c>str.split()</c>) and <c>&lt;eos&gt;</c> is appended to EVERY line, empty lines included (WikiText-2 has
/// empty lines; counting them is what gives its published 2,088,628 / 217,646 / 245,569). Lines end at '\n', "\r\n"
/// or a lone '\r' (Python's universal newlines, which its <c>open()</c> applies); a final line without a line end
/// still counts, and a final line end does not start another line. So CRLF files tokenise exactly like LF files.
/// </para>
/// <para>
/// The vocabulary is built from the TRAIN split only, ids in order of first occurrence (<c>&lt;eos&gt;</c> gets its id
/// right after the first line's new words, as in pytorch/examples). pytorch/examples also adds valid/test words;
/// on PTB and WikiText-2 that changes nothing, since neither has a word outside train (PTB: 10,000 ids,
/// WikiText-2: 33,278). A valid/test word missing from train is mapped to <c>&lt;unk&gt;</c> and counted in
/// <see cref="TokenSplit.OutOfVocabulary"/>; if train has no <c>&lt;unk&gt;</c>, it is appended to the vocabulary first
/// and <see cref="UnknownAppended"/> is set.
/// </para>
/// </summary>
public sealed class TokenCorpus
{
    public TokenCorpus(Vocabulary vocabulary, TokenSplit train, TokenSplit valid, TokenSplit test, bool unknownAppended = false)
    {
        (Vocabulary, Train, Valid, Test, UnknownAppended) = (vocabulary, train, valid, test, unknownAppended);
        foreach (var split in new[] { train, valid, test })
        {
            foreach (var id in split.Ids)
            {
                if ((uint)id >= (uint)vocabulary.Count)
                    throw new ArgumentException($"{split.Name} holds id {id} outside the vocabulary of {vocabulary.Count}");
            }
        }
    }

    public Vocabulary Vocabulary { get; }
    public TokenSplit Train { get; }
    public TokenSplit Valid { get; }
    public TokenSplit Test { get; }

    /// <summary>True when no <c>&lt;unk&gt;</c> was in train and one had to be appended for valid/test words.</summary>
    public bool UnknownAppended { get; }

    /// <summary>Mikolov's PTB: <c>ptb.train.txt</c>, <c>ptb.valid.txt</c>, <c>ptb.test.txt</c> in <paramref name="directory"/>.</summary>
    public static TokenCorpus LoadPtb(string directory) => Load(
        Path.Combine(directory, "ptb.train.txt"), Path.Combine(directory, "ptb.valid.txt"), Path.Combine(directory, "ptb.test.txt"));

    /// <summary>WikiText (-2 or -103, tokenised): <c>wiki.train.tokens</c>, <c>wiki.valid.tokens</c>, <c>wiki.test.tokens</c>.</summary>
    public static TokenCorpus LoadWikiText(string directory) => Load(
        Path.Combine(directory, "wiki.train.tokens"), Path.Combine(directory, "wiki.valid.tokens"), Path.Combine(directory, "wiki.test.tokens"));

    public static TokenCorpus Load(string trainPath, string validPath, string testPath) =>
        FromTexts((trainPath, TextFile.ReadAll(trainPath)), (validPath, TextFile.ReadAll(validPath)), (testPath, TextFile.ReadAll(testPath)));

    /// <summary>
    /// One file cut by whole lines: with n lines, train is lines [0, (int)(n * trainFraction)), valid the lines up to
    /// (int)(n * (trainFraction + validFraction)), test the rest; then read as <see cref="Load"/> reads three files
    /// (vocabulary from train, other words become &lt;unk&gt;).
    /// </summary>
    public static TokenCorpus FromFile(string path, double trainFraction, double validFraction)
    {
        if (trainFraction is <= 0 or > 1 || validFraction < 0 || trainFraction + validFraction > 1 + 1e-12)
            throw new ArgumentOutOfRangeException(nameof(trainFraction), $"fractions must satisfy 0 < train <= 1, valid >= 0, train + valid <= 1 (got {trainFraction}, {validFraction})");
        var text = TextFile.ReadAll(path);
        var starts = LineStarts(text);
        var n = starts.Count;
        var cut1 = (int)(n * trainFraction);
        var cut2 = trainFraction + validFraction >= 1 ? n : Math.Max(cut1, (int)(n * (trainFraction + validFraction)));
        int Offset(int line) => line < n ? starts[line] : text.Length;
        return FromTexts((path, text[..Offset(cut1)]), (path, text[Offset(cut1)..Offset(cut2)]), (path, text[Offset(cut2)..]));
    }

    private static TokenCorpus FromTexts((string Path, string Text) trainText, (string Path, string Text) validPart, (string Path, string Text) testPart)
    {
        var vocabulary = new Vocabulary();
        var train = Tokenize("train", trainText.Path, trainText.Text, vocabulary, grow: true);
        var (validPath, validText) = validPart;
        var (testPath, testText) = testPart;
        var unknownAppended = false;
        if (!vocabulary.Contains(Vocabulary.Unknown) && (HasUnseenWord(validText, vocabulary) || HasUnseenWord(testText, vocabulary)))
        {
            vocabulary.Add(Vocabulary.Unknown);
            unknownAppended = true;
        }
        var valid = Tokenize("valid", validPath, validText, vocabulary, grow: false);
        var test = Tokenize("test", testPath, testText, vocabulary, grow: false);
        return new TokenCorpus(vocabulary, train, valid, test, unknownAppended);
    }

    /// <summary>
    /// Tokenises <paramref name="text"/> line by line into ids. With <paramref name="grow"/> new words are added to
    /// <paramref name="vocabulary"/>; otherwise they become <c>&lt;unk&gt;</c> (which must then be in it).
    /// </summary>
    public static TokenSplit Tokenize(string name, string? path, string text, Vocabulary vocabulary, bool grow)
    {
        var ids = new List<int>(text.Length / 5);
        var unk = -1;
        var outOfVocabulary = 0;
        var lines = 0;
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            var end = span.IndexOfAny('\n', '\r');
            var line = end < 0 ? span : span[..end];
            var terminator = end < 0 ? 0 : span[end] == '\r' && end + 1 < span.Length && span[end + 1] == '\n' ? 2 : 1;
            span = end < 0 ? [] : span[(end + terminator)..];
            lines++;
            while (true)
            {
                var word = NextWord(ref line);
                if (word.IsEmpty)
                    break;
                if (grow)
                {
                    ids.Add(vocabulary.Add(word));
                }
                else if (vocabulary.TryGetId(word, out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    if (unk < 0 && !vocabulary.TryGetId(Vocabulary.Unknown, out unk))
                        throw DataException.At(path ?? name, lines, $"word '{word}' is not in the vocabulary, which has no {Vocabulary.Unknown}");
                    ids.Add(unk);
                    outOfVocabulary++;
                }
            }
            ids.Add(grow ? vocabulary.Add(Vocabulary.EndOfSentence) : EndOfSentenceId(vocabulary, path ?? name));
        }
        return new TokenSplit(name, [.. ids], path, lines, outOfVocabulary);
    }

    /// <summary>Where each line starts, with the line ends of <see cref="Tokenize"/> ('\n', "\r\n", a lone '\r').</summary>
    private static List<int> LineStarts(string text)
    {
        var starts = new List<int>();
        var i = 0;
        while (i < text.Length)
        {
            starts.Add(i);
            var end = text.AsSpan(i).IndexOfAny('\n', '\r');
            if (end < 0)
                break;
            i += end + (text[i + end] == '\r' && i + end + 1 < text.Length && text[i + end + 1] == '\n' ? 2 : 1);
        }
        return starts;
    }

    private static int EndOfSentenceId(Vocabulary vocabulary, string where) => vocabulary.TryGetId(Vocabulary.EndOfSentence, out var id)
        ? id
        : throw DataException.In(where, $"the vocabulary has no {Vocabulary.EndOfSentence}");

    private static bool HasUnseenWord(string text, Vocabulary vocabulary)
    {
        var span = text.AsSpan();
        while (true)
        {
            var word = NextWord(ref span);
            if (word.IsEmpty)
                return false;
            if (!vocabulary.TryGetId(word, out _))
                return true;
        }
    }

    /// <summary>The next whitespace-separated word of <paramref name="rest"/> (empty at the end), consuming it.</summary>
    private static ReadOnlySpan<char> NextWord(ref ReadOnlySpan<char> rest)
    {
        var i = 0;
        while (i < rest.Length && IsPythonSpace(rest[i]))
            i++;
        var start = i;
        while (i < rest.Length && !IsPythonSpace(rest[i]))
            i++;
        var word = rest[start..i];
        rest = rest[i..];
        return word;
    }

    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit: .NET whitespace plus the separators U+001C..U+001F.</summary>
    internal static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
