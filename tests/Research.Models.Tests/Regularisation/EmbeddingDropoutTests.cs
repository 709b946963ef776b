using Research.Models.Regularisation;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Regularisation;

/// <summary>Embedding dropout drops whole words: every occurrence of a word is dropped, or kept and scaled, together.</summary>
public sealed class EmbeddingDropoutTests
{
    private const double P = 0.5;

    [Fact]
    public void EveryOccurrenceOfAWordIsDroppedOrKeptTogether()
    {
        manual_seed(41);
        const long vocabulary = 40; // all kept or all dropped has probability 2^-39, whatever the generator's state
        var weight = randn([vocabulary, 4], dtype: ScalarType.Float64).requires_grad_();
        using var zero = 0.ToScalar();
        using var end = vocabulary.ToScalar();
        var words = cat([arange(zero, end, HeldScalars.One), randint(vocabulary, [16 * 5 - vocabulary])]).reshape(16, 5); // every word, with repeats
        var embedded = EmbeddingDropout.Apply(weight, words, P, training: true);
        Assert.Equal([16L, 5L, 4L], embedded.shape);

        var rows = embedded.reshape(-1, 4);
        var ids = words.reshape(-1);
        using var keep = (1 - P).ToScalar();
        using var tolerance = 1e-12.ToScalar();
        var scaled = weight.detach().index_select(0, ids).div(keep);
        var isKept = (rows - scaled).abs().max(1).values.lt(tolerance);
        var isDropped = rows.eq(zero).all(1);
        Assert.True((isKept | isDropped).all().item<bool>(), "each looked-up row is 0 or its word's row / (1−p)");

        var keptWord = new bool?[vocabulary];
        for (long i = 0; i < ids.shape[0]; i++)
        {
            var word = ids[i].item<long>();
            var kept = isKept[i].item<bool>();
            Assert.True(keptWord[word] is null || keptWord[word] == kept, $"word {word} kept at one occurrence, dropped at another");
            keptWord[word] = kept;
        }
        Assert.Contains(true, keptWord);
        Assert.Contains(false, keptWord);

        // Dropped words get no gradient; kept ones do.
        embedded.sum().backward();
        for (var word = 0; word < vocabulary; word++)
            Assert.Equal(keptWord[word]!.Value, weight.grad![word].abs().sum().item<double>() > 0);
    }

    [Fact]
    public void EvalIsAPlainLookup()
    {
        manual_seed(42);
        var weight = randn([7, 3]);
        var words = randint(7, [5, 2]);
        var embedded = EmbeddingDropout.Apply(weight, words, P, training: false);
        Assert.True(embedded.allclose(weight.index_select(0, words.reshape(-1)).reshape(5, 2, 3), rtol: 0, atol: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingDropout.Apply(weight, words, -0.1, training: true));
    }
}
