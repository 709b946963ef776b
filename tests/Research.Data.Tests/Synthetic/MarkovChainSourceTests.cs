using Research.Data.Batching;
using Research.Data.Synthetic;

namespace Research.Data.Tests.Synthetic;

public class MarkovChainSourceTests
{
    [Fact]
    public void Two_state_entropy_rate_matches_the_hand_computation()
    {
        // P = [[0.9, 0.1], [0.5, 0.5]]: pi P = pi gives 0.1 pi0 = 0.5 pi1, so pi = (5/6, 1/6).
        // H = 5/6 * H(0.9, 0.1) + 1/6 * ln 2 = 5/6 * 0.3250829733914482 + 1/6 * 0.6931471805599453 = 0.386427007919531 nats.
        var chain = new MarkovChainSource(new[,] { { 0.9, 0.1 }, { 0.5, 0.5 } });
        Assert.Equal(5.0 / 6.0, chain.Stationary[0], 12);
        Assert.Equal(1.0 / 6.0, chain.Stationary[1], 12);
        Assert.Equal(0.38642700791953105, chain.EntropyRate, 12);
        Assert.Equal(0.5574963279910676, chain.EntropyRateBits, 12);
    }

    [Fact]
    public void Sampled_path_visits_states_at_the_stationary_frequencies()
    {
        var chain = new MarkovChainSource(new[,] { { 0.9, 0.1 }, { 0.5, 0.5 } });
        var path = chain.Sample(60_000, seed: 9);
        Assert.InRange(path.Count(s => s == 0) / 60_000.0, 0.82, 0.847);
    }

    [Fact]
    public void Random_chain_is_seeded_and_its_empirical_loss_matches_the_entropy_rate()
    {
        var chain = MarkovChainSource.RandomChain(symbols: 6, seed: 1);
        Assert.Equal(chain.Transition(2, 3), MarkovChainSource.RandomChain(6, seed: 1).Transition(2, 3));
        Assert.NotEqual(chain.Transition(2, 3), MarkovChainSource.RandomChain(6, seed: 2).Transition(2, 3));
        Assert.Equal(1.0, chain.Stationary.Sum(), 12);
        Assert.InRange(chain.EntropyRate, 0.0, Math.Log(6));

        // The true model's mean cross-entropy on a long sample approaches the entropy rate.
        var path = chain.Sample(100_000, seed: 4);
        var nll = Enumerable.Range(1, path.Length - 1).Average(t => -Math.Log(chain.Transition(path[t - 1], path[t])));
        Assert.Equal(chain.EntropyRate, nll, 2);
    }

    [Fact]
    public void Corpus_runs_through_the_language_model_batching()
    {
        var chain = MarkovChainSource.RandomChain(symbols: 5, seed: 3);
        var corpus = chain.ToCorpus(1_000, 200, 300, seed: 8);
        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], corpus.Vocabulary.Tokens);
        Assert.Equal((1_000, 200, 300), (corpus.Train.Length, corpus.Valid.Length, corpus.Test.Length));
        Assert.Equal(chain.Sample(1_500, seed: 8)[1_000..1_200], corpus.Valid.Ids);
        using var batched = LanguageModelBatches.Batchify(corpus.Train.Ids, 10);
        Assert.Equal([100L, 10L], batched.shape);
        Assert.Equal(chain.ToCorpus(1_000, 200, 300, seed: 8).Train.Ids, corpus.Train.Ids);
    }
}
