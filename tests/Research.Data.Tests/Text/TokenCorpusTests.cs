using System.Diagnostics;
using Research.Data.Text;
using TorchSharp;

namespace Research.Data.Tests.Text;

public class TokenCorpusTests
{
    [Fact]
    public void Ptb_has_the_published_counts_and_no_added_unk()
    {
        var clock = Stopwatch.StartNew();
        var corpus = TokenCorpus.LoadPtb(SharedData.Path("ptb"));
        clock.Stop();

        Assert.Equal(929_589, corpus.Train.Length);
        Assert.Equal(73_760, corpus.Valid.Length);
        Assert.Equal(82_430, corpus.Test.Length);
        Assert.Equal(10_000, corpus.Vocabulary.Count);
        Assert.Equal((42_068, 3_370, 3_761), (corpus.Train.Lines, corpus.Valid.Lines, corpus.Test.Lines));
        Assert.False(corpus.UnknownAppended);
        Assert.Equal(0, corpus.Valid.OutOfVocabulary);
        Assert.Equal(0, corpus.Test.OutOfVocabulary);
        // Every <unk> id in valid/test is a literal <unk> of the text.
        var unk = corpus.Vocabulary[Vocabulary.Unknown];
        foreach (var (split, file) in new[] { (corpus.Valid, "ptb.valid.txt"), (corpus.Test, "ptb.test.txt") })
        {
            var literal = File.ReadAllText(SharedData.Path("ptb", file)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w == Vocabulary.Unknown);
            Assert.Equal(literal, split.Ids.Count(id => id == unk));
        }
        // First-occurrence order: PTB's first line is " aer banknote berlitz ... ".
        Assert.Equal("aer", corpus.Vocabulary[0]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"PTB took {clock.Elapsed.TotalSeconds:F2} s to load");
    }

    [Fact]
    public void WikiText2_has_the_published_counts()
    {
        var corpus = TokenCorpus.LoadWikiText(SharedData.Path("wikitext-2"));
        Assert.Equal(2_088_628, corpus.Train.Length);
        Assert.Equal(217_646, corpus.Valid.Length);
        Assert.Equal(245_569, corpus.Test.Length);
        Assert.Equal(33_278, corpus.Vocabulary.Count);
        Assert.Equal(36_718, corpus.Train.Lines);
        Assert.Equal(0, corpus.Valid.OutOfVocabulary + corpus.Test.OutOfVocabulary);
        Assert.True(corpus.Vocabulary.Contains("Senjō"));
    }

    [Fact]
    public void Eos_on_every_line_first_occurrence_ids_and_crlf()
    {
        using var temp = new TempFiles();
        var train = temp.Write("train.txt", " b a \r\n\r\n a c"); // CRLF, an empty line, no final line end
        var valid = temp.Write("valid.txt", "c z a\n");
        var test = temp.Write("test.txt", "\n");
        var corpus = TokenCorpus.Load(train, valid, test);

        Assert.Equal(["b", "a", "<eos>", "c", "<unk>"], corpus.Vocabulary.Tokens);
        Assert.Equal([0, 1, 2, 2, 1, 3, 2], corpus.Train.Ids);
        Assert.Equal(3, corpus.Train.Lines);
        Assert.True(corpus.UnknownAppended); // train had no <unk> and valid has 'z'
        Assert.Equal([3, 4, 1, 2], corpus.Valid.Ids);
        Assert.Equal(1, corpus.Valid.OutOfVocabulary);
        Assert.Equal([2], corpus.Test.Ids);
        // A lone '\r' ends a line too (Python's universal newlines).
        Assert.Equal([0, 2, 1, 2], TokenCorpus.Tokenize("t", null, "b\ra\n", corpus.Vocabulary, grow: false).Ids);

        using var tensor = corpus.Train.ToTensor();
        Assert.Equal(torch.ScalarType.Int64, tensor.dtype);
        Assert.Equal([7L], tensor.shape);
        Assert.Equal(3L, tensor[5].item<long>());
    }

    [Fact]
    public void Oov_maps_to_the_corpus_unk_when_train_has_one()
    {
        using var temp = new TempFiles();
        var train = temp.Write("train.txt", "a <unk>\n");
        var valid = temp.Write("valid.txt", "q a\n");
        var test = temp.Write("test.txt", "a\n");
        var corpus = TokenCorpus.Load(train, valid, test);
        Assert.False(corpus.UnknownAppended);
        Assert.Equal(3, corpus.Vocabulary.Count);
        Assert.Equal([1, 0, 2], corpus.Valid.Ids);
        Assert.Equal(1, corpus.Valid.OutOfVocabulary);
    }

    [Fact]
    public void One_file_is_cut_by_whole_lines()
    {
        using var files = new TempFiles();
        // 20 lines: train 0.9 -> 18 lines, valid and test one line each.
        var lines = Enumerable.Range(0, 20).Select(i => i < 18 ? $"w{i % 3} w{i % 5}" : i == 18 ? "w1 new" : "w2 w0").ToList();
        var path = files.Write("corpus.txt", string.Join("\r\n", lines) + "\r\n");
        var corpus = TokenCorpus.FromFile(path, trainFraction: 0.9, validFraction: 0.05);
        Assert.Equal((18, 1, 1), (corpus.Train.Lines, corpus.Valid.Lines, corpus.Test.Lines));
        Assert.Equal(18 * 3, corpus.Train.Length);
        Assert.Equal(1, corpus.Valid.OutOfVocabulary); // "new" is not in train
        Assert.True(corpus.UnknownAppended);
        Assert.Equal(["w2", "w0", "<eos>"], corpus.Test.Ids.Select(id => corpus.Vocabulary[id]));
    }
}
