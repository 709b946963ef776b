using Research.Data.Text;

namespace Research.Data.Tests.Text;

public class CharCorpusTests
{
    private static readonly string ShakespearePath = SharedData.Path("tinyshakespeare", "input.txt");

    [Fact]
    public void Tiny_shakespeare_has_1115394_characters_and_65_symbols()
    {
        var corpus = CharCorpus.FromFile(ShakespearePath);
        Assert.Equal(1_115_394, corpus.Length);
        Assert.Equal(65, corpus.Vocabulary.Count);
        Assert.Equal("\n", corpus.Vocabulary[0]); // sorted by code point: '\n', ' ', '!', ...
        Assert.Equal(" ", corpus.Vocabulary[1]);
        Assert.Equal("z", corpus.Vocabulary[64]);
        // char-rnn's 95/5: the cut falls at (int)(1,115,394 * 0.95) = 1,059,624; nothing left for test.
        Assert.Equal((1_059_624, 55_770, 0), (corpus.Train.Length, corpus.Valid.Length, corpus.Test.Length));
        Assert.StartsWith("First Citizen:", corpus.Decode(corpus.Train.Ids.Take(20)));
    }

    [Fact]
    public void NanoGpt_90_10_split_matches_the_published_cut()
    {
        var corpus = CharCorpus.FromFile(ShakespearePath, trainFraction: 0.9, validFraction: 0.1);
        Assert.Equal((1_003_854, 111_540, 0), (corpus.Train.Length, corpus.Valid.Length, corpus.Test.Length));
    }

    [Fact]
    public void Lower_casing_and_three_way_fraction_split()
    {
        var corpus = CharCorpus.FromText("AbBa\ncd\n!!", trainFraction: 0.5, validFraction: 0.3, lowerCase: true);
        Assert.Equal(["\n", "!", "a", "b", "c", "d"], corpus.Vocabulary.Tokens);
        Assert.Equal("abba\n", corpus.Decode(corpus.Train.Ids));
        Assert.Equal("cd\n", corpus.Decode(corpus.Valid.Ids));
        Assert.Equal("!!", corpus.Decode(corpus.Test.Ids));
    }

    [Fact]
    public void Keras_reading_lower_cases_turns_newlines_into_spaces_and_can_keep_the_whole_text_for_training()
    {
        var corpus = CharCorpus.FromText("To be,\r\nOr not\n", trainFraction: 1, validFraction: 0, lowerCase: true, newlinesToSpaces: true);
        Assert.Equal([" ", ",", "b", "e", "n", "o", "r", "t"], corpus.Vocabulary.Tokens);
        Assert.Equal("to be, or not ", corpus.Decode(corpus.Train.Ids));
        Assert.Equal((0, 0), (corpus.Valid.Length, corpus.Test.Length));

        // Tiny Shakespeare as Keras reads it: 1,115,394 characters (a newline becomes one space), 38 symbols, '\n' gone.
        var shakespeare = CharCorpus.FromFile(ShakespearePath, trainFraction: 1, validFraction: 0, lowerCase: true, newlinesToSpaces: true);
        Assert.Equal((1_115_394, 38), (shakespeare.Train.Length, shakespeare.Vocabulary.Count));
        Assert.DoesNotContain("\n", shakespeare.Vocabulary.Tokens);
    }

    [Fact]
    public void Split_files_share_one_sorted_vocabulary()
    {
        using var temp = new TempFiles();
        var (train, valid, test) = (temp.Write("tr.txt", "ba\r\n"), temp.Write("va.txt", "c𝄞"), temp.Write("te.txt", "a\r"));
        var corpus = CharCorpus.FromFiles(train, valid, test);
        Assert.Equal(["\n", "a", "b", "c", "𝄞"], corpus.Vocabulary.Tokens); // 𝄞 (U+1D11E) is one symbol
        Assert.Equal([2, 1, 0], corpus.Train.Ids);                     // CRLF read as '\n', as Python's open() does
        Assert.Equal([3, 4], corpus.Valid.Ids);
        Assert.Equal([1, 0], corpus.Test.Ids);

        var raw = CharCorpus.FromFiles(train, valid, test, translateNewlines: false);
        Assert.Equal(["\n", "\r", "a", "b", "c", "𝄞"], raw.Vocabulary.Tokens);
        Assert.Equal([3, 2, 1, 0], raw.Train.Ids);
    }
}
