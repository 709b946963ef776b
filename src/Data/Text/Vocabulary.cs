namespace Research.Data.Text;

/// <summary>
/// Token ↔ id map with ids 0..Count-1 in the order tokens were first added (pytorch/examples
/// word_language_model's <c>Dictionary.add_word</c>). Lookups by <see cref="ReadOnlySpan{T}"/> allocate nothing, so a
/// tokeniser only creates a string the first time it meets a word.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>End of line marker appended to every line of a word corpus.</summary>
    public const string EndOfSentence = "<eos>";

    /// <summary>Out-of-vocabulary marker; PTB and WikiText already contain it in their text.</summary>
    public const string Unknown = "<unk>";

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIds;
    private readonly List<string> _tokens = [];

    public Vocabulary() => _spanIds = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A vocabulary holding exactly these tokens, id = position; duplicates are an error.</summary>
    public Vocabulary(IEnumerable<string> tokens)
        : this()
    {
        foreach (var token in tokens)
        {
            if (Contains(token))
                throw new ArgumentException($"duplicate token '{token}' in vocabulary", nameof(tokens));
            Add(token);
        }
    }

    public int Count => _tokens.Count;

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    public string this[int id] => _tokens[id];

    public int this[string token] => _ids.TryGetValue(token, out var id)
        ? id
        : throw new KeyNotFoundException($"token '{token}' is not in the vocabulary");

    public bool Contains(string token) => _ids.ContainsKey(token);

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanIds.TryGetValue(token, out id);

    /// <summary>The token's id, adding it at the end if it is new.</summary>
    public int Add(ReadOnlySpan<char> token)
    {
        if (_spanIds.TryGetValue(token, out var id))
            return id;
        var text = token.ToString();
        id = _tokens.Count;
        _ids.Add(text, id);
        _tokens.Add(text);
        return id;
    }
}
