using Research.Models.Language;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Language;

public sealed class LanguageModelTests
{
    private static LanguageModelOptions Small(RecurrentCoreKind core, bool tied = false) =>
        new(VocabularySize: 13, EmbeddingSize: 6, HiddenSize: 6, Layers: 2, TieWeights: tied, Core: core, InitRange: 0.2);

    [Fact]
    public void ExplicitAndTorchCoresShareParameterNamesAndGiveTheSameLogits()
    {
        manual_seed(1);
        var ours = new LanguageModel(Small(RecurrentCoreKind.Lstm), dtype: ScalarType.Float64);
        var reference = new LanguageModel(Small(RecurrentCoreKind.Torch), dtype: ScalarType.Float64);
        Assert.Equal(ours.state_dict().Keys, reference.state_dict().Keys);
        reference.load_state_dict(ours.state_dict());

        var tokens = randint(0, 13, [7, 3], dtype: ScalarType.Int64);
        var (a, (ha, _)) = ours.call(tokens);
        var (b, (hb, _)) = reference.call(tokens);
        Assert.Equal([7L, 3L, 13L], a.shape);
        Assert.True(a.allclose(b, rtol: 1e-10, atol: 1e-12));
        Assert.True(ha.allclose(hb, rtol: 1e-10, atol: 1e-12));
    }

    [Fact]
    public void TiedWeightsShareOneMatrixAndNeedEqualSizes()
    {
        var model = new LanguageModel(Small(RecurrentCoreKind.Lstm, tied: true));
        var parameters = model.state_dict();
        Assert.True(parameters["encoder.weight"].allclose(parameters["decoder.weight"], rtol: 0, atol: 0));
        var e = Assert.Throws<ArgumentException>(() => new LanguageModel(Small(RecurrentCoreKind.Lstm, tied: true) with { EmbeddingSize = 5 }));
        Assert.Contains("embedding size = hidden size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniformInitialisationCoversEveryParameter()
    {
        manual_seed(2);
        var model = new LanguageModel(Small(RecurrentCoreKind.Lstm) with { InitRange = 0.05 });
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.abs().max().item<float>() <= 0.05f, name);
    }

    [Fact]
    public void GreedySamplingIsTheArgmaxAndSeededSamplingRepeats()
    {
        manual_seed(3);
        var model = new LanguageModel(Small(RecurrentCoreKind.Lstm));
        var greedy = TextSampler.Sample(model, [1, 2, 3], 5, topK: 1);
        model.eval();
        var (logits, _) = model.call(tensor(new long[] { 1, 2, 3 }).view(-1, 1));
        Assert.Equal(logits[-1, 0].argmax().item<long>(), greedy[0]);

        var first = TextSampler.Sample(model, [4], 8, temperature: 0.7, generator: new Generator(9));
        var second = TextSampler.Sample(model, [4], 8, temperature: 0.7, generator: new Generator(9));
        Assert.Equal(first, second);
        Assert.All(first, t => Assert.InRange(t, 0, 12));
    }
}
