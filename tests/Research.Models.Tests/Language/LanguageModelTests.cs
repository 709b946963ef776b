using Research.Models.Language;
using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Language;

public sealed class LanguageModelTests
{
    private static LanguageModelOptions Small(RecurrentBackendKind backend, bool tied = false, RecurrentCellKind cell = RecurrentCellKind.Lstm) =>
        new(VocabularySize: 13, EmbeddingSize: 6, HiddenSize: 6, Layers: 2, TieWeights: tied, InitRange: 0.2)
        {
            Recurrence = new(cell, backend),
        };

    public static TheoryData<RecurrentCellKind> Cells() => new(Enum.GetValues<RecurrentCellKind>());

    [Fact]
    public void ReadableAndTorchBackendsShareParameterNamesAndGiveTheSameLogits()
    {
        manual_seed(1);
        var ours = new LanguageModel(Small(RecurrentBackendKind.Readable), dtype: ScalarType.Float64);
        var reference = new LanguageModel(Small(RecurrentBackendKind.Torch), dtype: ScalarType.Float64);
        Assert.Equal(ours.state_dict().Keys, reference.state_dict().Keys);
        reference.load_state_dict(ours.state_dict());

        var tokens = randint(0, 13, [7, 3], dtype: ScalarType.Int64);
        var (a, (ha, _)) = ours.call(tokens);
        var (b, (hb, _)) = reference.call(tokens);
        Assert.Equal([7L, 3L, 13L], a.shape);
        Assert.True(a.allclose(b, rtol: 1e-10, atol: 1e-12));
        Assert.True(ha.allclose(hb, rtol: 1e-10, atol: 1e-12));
    }

    public static TheoryData<RecurrentBackendKind, bool> DistinctTokenCases() => new()
    {
        { RecurrentBackendKind.Fast, false }, { RecurrentBackendKind.Fast, true }, { RecurrentBackendKind.Kernel, false },
    };

    [Theory]
    [MemberData(nameof(DistinctTokenCases))]
    public void DistinctTokensGiveThePerPositionLogitsAndGradients(RecurrentBackendKind backend, bool tied)
    {
        var dtype = backend == RecurrentBackendKind.Kernel ? ScalarType.Float32 : ScalarType.Float64;
        var tolerance = ParityReport.DefaultTolerance(dtype);
        manual_seed(4);
        var distinct = new LanguageModel(Small(backend, tied) with { ProjectDistinctTokens = true }, dtype: dtype);
        var perPosition = new LanguageModel(Small(backend, tied) with { ProjectDistinctTokens = false }, dtype: dtype);
        perPosition.load_state_dict(distinct.state_dict());
        Assert.True(distinct.EmbedsDistinctTokens);
        Assert.False(perPosition.EmbedsDistinctTokens);
        var tokens = randint(0, 13, [9, 4], dtype: ScalarType.Int64); // 36 positions, at most 13 distinct tokens
        Dictionary<string, Tensor> Gradients(LanguageModel model)
        {
            var (logits, (h, c)) = model.call(tokens);
            logits.mul(logits).sum().Plus(h.sum()).Plus(c!.sum()).backward();
            var results = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            results["logits"] = logits.detach();
            return results;
        }
        var expected = Gradients(perPosition);
        var actual = Gradients(distinct);
        foreach (var (name, value) in expected)
        {
            var row = ParityRow.Of(name, actual[name], value);
            Assert.True(row.MaxRel <= tolerance, $"{backend}, tied {tied}: {name} {row.MaxRel:E2} > {tolerance:E0}");
        }
    }

    [Fact]
    public void DistinctTokensOnlyWhereNothingSitsBetweenTheEmbeddingAndTheCore()
    {
        var withDropout = new LanguageModel(Small(RecurrentBackendKind.Fast) with { Dropout = 0.5 });
        Assert.False(withDropout.EmbedsDistinctTokens); // training: the dropout masks each position's embedding
        withDropout.eval();
        Assert.True(withDropout.EmbedsDistinctTokens);
        var embeddingDropout = new LanguageModel(Small(RecurrentBackendKind.Fast) with { EmbeddingDropout = 0.1 });
        Assert.False(embeddingDropout.EmbedsDistinctTokens);
        var oneHot = new LanguageModel(Small(RecurrentBackendKind.Fast) with { Input = LanguageModelInput.OneHot });
        Assert.False(oneHot.EmbedsDistinctTokens);
        foreach (var backend in new[] { RecurrentBackendKind.Torch, RecurrentBackendKind.Readable })
            Assert.False(new LanguageModel(Small(backend)).EmbedsDistinctTokens); // their cores would write the input out again
    }

    [Fact]
    public void TiedWeightsShareOneMatrixAndNeedEqualSizes()
    {
        var model = new LanguageModel(Small(RecurrentBackendKind.Readable, tied: true));
        var parameters = model.state_dict();
        Assert.True(parameters["encoder.weight"].allclose(parameters["decoder.weight"], rtol: 0, atol: 0));
        var e = Assert.Throws<ArgumentException>(() => new LanguageModel(Small(RecurrentBackendKind.Readable, tied: true) with { EmbeddingSize = 5 }));
        Assert.Contains("tied weights need embedding size = the stack's output size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniformInitialisationCoversEveryParameter()
    {
        manual_seed(2);
        var model = new LanguageModel(Small(RecurrentBackendKind.Readable) with { InitRange = 0.05 });
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.abs().max().item<float>() <= 0.05f, name);
    }

    [Fact]
    public void GreedySamplingIsTheArgmaxAndSeededSamplingRepeats()
    {
        manual_seed(3);
        var model = new LanguageModel(Small(RecurrentBackendKind.Readable));
        var greedy = TextSampler.Sample(model, [1, 2, 3], 5, topK: 1);
        model.eval();
        var (logits, _) = model.call(tensor(new long[] { 1, 2, 3 }).view(-1, 1));
        Assert.Equal(logits[-1, 0].argmax().item<long>(), greedy[0]);

        var first = TextSampler.Sample(model, [4], 8, temperature: 0.7, generator: new Generator(9));
        var second = TextSampler.Sample(model, [4], 8, temperature: 0.7, generator: new Generator(9));
        Assert.Equal(first, second);
        Assert.All(first, t => Assert.InRange(t, 0, 12));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void EveryCellTrainsOneStepAndBothCoresAgree(RecurrentCellKind cell)
    {
        manual_seed(4);
        var ours = new LanguageModel(Small(RecurrentBackendKind.Readable, cell: cell), dtype: ScalarType.Float64);
        var reference = new LanguageModel(Small(RecurrentBackendKind.Torch, cell: cell), dtype: ScalarType.Float64);
        Assert.Equal(ours.state_dict().Keys, reference.state_dict().Keys);
        reference.load_state_dict(ours.state_dict());

        var tokens = randint(0, 13, [5, 3], dtype: ScalarType.Int64);
        var (a, state) = ours.call(tokens);
        var (b, _) = reference.call(tokens);
        Assert.True(a.allclose(b, rtol: 1e-10, atol: 1e-12), cell.ToString());
        // The carried state goes back in, detached, as LanguageModelTask does.
        var (again, _) = ours.call(tokens, state.Detach());
        nn.functional.cross_entropy(again.view(-1, 13), tokens.reshape(-1)).backward();
        Assert.All(ours.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<double>() > 0, cell.ToString()));
    }

    [Fact]
    public void RegularisersAreOffInEvalAndActInTraining()
    {
        manual_seed(6);
        var options = Small(RecurrentBackendKind.Readable, cell: RecurrentCellKind.Gru) with { Dropout = 0.5, EmbeddingDropout = 0.3 };
        var model = new LanguageModel(options with { Recurrence = options.Recurrence with { LockedDropout = true, WeightDrop = 0.5 } });
        var tokens = randint(0, 13, [6, 4], dtype: ScalarType.Int64);

        model.eval();
        Assert.True(model.call(tokens).logits.allclose(model.call(tokens).logits, rtol: 0, atol: 0));
        model.train();
        Assert.False(model.call(tokens).logits.allclose(model.call(tokens).logits, rtol: 0, atol: 0));
    }

    [Fact]
    public void LockedDropoutUsesOneMaskForEveryTimeStep()
    {
        manual_seed(7);
        var options = Small(RecurrentBackendKind.Readable, cell: RecurrentCellKind.RnnTanh) with { Dropout = 0.5, Layers = 1 };
        var model = new LanguageModel(options with { Recurrence = options.Recurrence with { LockedDropout = true } });
        // The same token at every step and no recurrent weight (h' = tanh(W_ih x + b)): only the dropout masks can make steps differ.
        using (no_grad())
            model.named_parameters().Single(p => p.name == "rnn.weight_hh_l0").parameter.zero_();
        using var token = 5L.ToScalar();
        var tokens = full([8, 3], token, dtype: ScalarType.Int64);
        var (logits, _) = model.call(tokens);
        for (var t = 1; t < 8; t++)
            Assert.True(logits[t].allclose(logits[0]), $"step {t} differs from step 0");
    }

    [Fact]
    public void WeightDropIsRejectedOnlyWhereTheBackendCannotDoIt()
    {
        var options = Small(RecurrentBackendKind.Torch, cell: RecurrentCellKind.Gru);
        var e = Assert.Throws<ArgumentException>(() => new LanguageModel(options with { Recurrence = options.Recurrence with { WeightDrop = 0.2 } }));
        Assert.Contains("WeightDrop: not available with backend torch", e.Message, StringComparison.Ordinal);
        var lstm = Small(RecurrentBackendKind.Readable);
        Assert.NotNull(new LanguageModel(lstm with { Recurrence = lstm.Recurrence with { WeightDrop = 0.2 } }));
    }

    [Fact]
    public void AProjectedLstmTiesItsDecoderToTheProjectionSize()
    {
        var options = new LanguageModelOptions(VocabularySize: 13, EmbeddingSize: 4, HiddenSize: 6, Layers: 2, TieWeights: true)
        {
            Recurrence = new(Variant: LstmVariant.Standard with { ProjectionSize = 4 }),
        };
        var model = new LanguageModel(options);
        var initial = model.InitialState(3);
        Assert.Equal([2L, 3L, 4L], initial.H.shape);
        Assert.Equal([2L, 3L, 6L], initial.C!.shape);
        var (logits, state) = model.call(randint(13, [5, 3], dtype: ScalarType.Int64), initial);
        Assert.Equal([5L, 3L, 13L], logits.shape);
        Assert.Equal(initial.H.shape, state.H.shape);
        Assert.Equal(initial.C.shape, state.C!.shape);
        var e = Assert.Throws<ArgumentException>(() => new LanguageModel(options with { EmbeddingSize = 6 }));
        Assert.Contains("tied weights need embedding size = the stack's output size", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RecurrentBackendKind.Readable)]
    [InlineData(RecurrentBackendKind.Torch)]
    public void AForgetBiasSurvivesUniformAllAsCharRnnFillsIt(RecurrentBackendKind backend)
    {
        // char-rnn: every parameter U(±0.08), then the f block of each input-to-hidden bias set to exactly 1.
        const long hidden = 6;
        var options = new LanguageModelOptions(VocabularySize: 13, EmbeddingSize: 5, HiddenSize: hidden, Layers: 2, InitRange: 0.08)
        {
            Recurrence = new(Backend: backend, Variant: LstmVariant.Standard with { ForgetBias = 1.0 }),
        };
        var model = new LanguageModel(options, dtype: ScalarType.Float64);
        var biases = model.named_parameters().Where(p => p.name.StartsWith("rnn.bias_ih", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, biases.Count);
        foreach (var (name, p) in model.named_parameters())
        {
            var values = p.detach().reshape(-1).data<double>().ToArray();
            var forget = name.StartsWith("rnn.bias_ih", StringComparison.Ordinal) ? (hidden, 2 * hidden) : (0, 0);
            for (var i = 0; i < values.Length; i++)
            {
                if (i >= forget.Item1 && i < forget.Item2)
                    Assert.Equal(1.0, values[i]);
                else
                    Assert.InRange(values[i], -0.08, 0.08);
            }
        }
    }

    [Fact]
    public void OneHotInputIsAnEmbeddingWithTheIdentityMatrix()
    {
        manual_seed(5);
        const long vocabulary = 9;
        var oneHot = new LanguageModel(new LanguageModelOptions(vocabulary, EmbeddingSize: 3, HiddenSize: 4, Layers: 2) { Input = LanguageModelInput.OneHot },
            dtype: ScalarType.Float64);
        Assert.DoesNotContain(oneHot.state_dict().Keys, k => k.StartsWith("encoder", StringComparison.Ordinal));
        Assert.Equal([16L, vocabulary], oneHot.state_dict()["rnn.weight_ih_l0"].shape);

        // The same network with an embedding of vocabulary-many features whose matrix is the identity.
        var embedded = new LanguageModel(new LanguageModelOptions(vocabulary, EmbeddingSize: vocabulary, HiddenSize: 4, Layers: 2), dtype: ScalarType.Float64);
        using (no_grad())
        {
            var target = embedded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, value) in oneHot.named_parameters())
                target[name].copy_(value);
            target["encoder.weight"].copy_(eye(vocabulary, dtype: ScalarType.Float64));
        }
        var tokens = randint(vocabulary, [6, 2], dtype: ScalarType.Int64);
        var (a, (ha, ca)) = oneHot.call(tokens);
        var (b, (hb, cb)) = embedded.call(tokens);
        Assert.Equal([6L, 2L, vocabulary], a.shape);
        Assert.True(a.allclose(b, rtol: 1e-12, atol: 1e-12));
        Assert.True(ha.allclose(hb, rtol: 1e-12, atol: 1e-12) && ca.allclose(cb, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void OneHotInputHasNoEmbeddingToTieOrDrop()
    {
        var options = new LanguageModelOptions(13, EmbeddingSize: 6, HiddenSize: 6, Layers: 1) { Input = LanguageModelInput.OneHot };
        Assert.Throws<ArgumentException>(() => new LanguageModel(options with { TieWeights = true }));
        Assert.Throws<ArgumentException>(() => new LanguageModel(options with { EmbeddingDropout = 0.1 }));
    }

    private static LanguageModelOptions KerasCharModel(RecurrentCellKind cell, RecurrentBackendKind backend = RecurrentBackendKind.Auto) =>
        new(VocabularySize: 39, EmbeddingSize: 1, HiddenSize: 128, Layers: 2, Init: LanguageModelInit.Keras)
        {
            Input = LanguageModelInput.OneHot,
            Recurrence = new(cell, backend, Variant: cell == RecurrentCellKind.Lstm ? LstmVariant.Standard with { ForgetBias = 1.0 } : null),
        };

    [Theory]
    [InlineData(RecurrentCellKind.Lstm, RecurrentBackendKind.Readable)]
    [InlineData(RecurrentCellKind.Lstm, RecurrentBackendKind.Torch)]
    [InlineData(RecurrentCellKind.Gru, RecurrentBackendKind.Readable)]
    public void KerasInitIsGlorotOrthogonalAndZeroBiasesWithAUnitForgetBias(RecurrentCellKind cell, RecurrentBackendKind backend)
    {
        // Keras lstm_character_level_text_generation's shapes: one-hot input of 39 characters, 128 units, here two layers.
        const long vocabulary = 39, hidden = 128;
        var gates = cell == RecurrentCellKind.Lstm ? 4L : 3L;
        manual_seed(11);
        var model = new LanguageModel(KerasCharModel(cell, backend), dtype: ScalarType.Float64);
        var p = model.named_parameters().ToDictionary(n => n.name, n => n.parameter.detach());
        for (var k = 0; k < 2; k++)
        {
            var input = k == 0 ? vocabulary : hidden;
            var limit = Math.Sqrt(6.0 / (input + (gates * hidden)));
            var ih = p[$"rnn.weight_ih_l{k}"];
            Assert.Equal([gates * hidden, input], ih.shape);
            Assert.True(ih.abs().max().item<double>() <= limit, $"weight_ih_l{k} beyond Glorot's limit {limit}");
            Assert.Equal(limit / Math.Sqrt(3), ih.std().item<double>(), limit / Math.Sqrt(3) * 0.05);

            // Orthonormal columns: W_hhᵀ W_hh = I, as Keras's orthogonal [H, G·H] kernel transposed.
            var hh = p[$"rnn.weight_hh_l{k}"];
            Assert.Equal([gates * hidden, hidden], hh.shape);
            var gram = hh.t().matmul(hh).sub_(eye(hidden, dtype: ScalarType.Float64));
            Assert.True(gram.abs().max().item<double>() <= 1e-5, $"weight_hh_l{k}ᵀ weight_hh_l{k} is not the identity");

            // Keras has one bias: ours sum to it, 1 in an LSTM's forget block (unit_forget_bias), 0 elsewhere.
            var sum = p[$"rnn.bias_ih_l{k}"].Plus(p[$"rnn.bias_hh_l{k}"]).data<double>().ToArray();
            var forget = cell == RecurrentCellKind.Lstm ? (hidden, 2 * hidden) : (0, 0);
            for (var i = 0; i < sum.Length; i++)
                Assert.Equal(i >= forget.Item1 && i < forget.Item2 ? 1.0 : 0.0, sum[i]);
            Assert.Equal(0.0, p[$"rnn.bias_hh_l{k}"].abs().max().item<double>());
        }
        var decoderLimit = Math.Sqrt(6.0 / (hidden + vocabulary));
        Assert.True(p["decoder.weight"].abs().max().item<double>() <= decoderLimit);
        Assert.True(p["decoder.weight"].abs().max().item<double>() > 0.9 * decoderLimit, "the decoder is not spread over Glorot's range");
        Assert.Equal(0.0, p["decoder.bias"].abs().max().item<double>());
    }

    [Fact]
    public void KerasInitIsSeededAndGivesAnEmbeddingKerasUniformRange()
    {
        Dictionary<string, Tensor> Weights(int seed, LanguageModelOptions options)
        {
            manual_seed(seed);
            return new LanguageModel(options, dtype: ScalarType.Float64).state_dict().ToDictionary(e => e.Key, e => e.Value);
        }
        var options = KerasCharModel(RecurrentCellKind.Lstm);
        var a = Weights(3, options);
        var b = Weights(3, options);
        var c = Weights(4, options);
        Assert.All(a, e => Assert.True(e.Value.allclose(b[e.Key], rtol: 0, atol: 0), $"{e.Key} differs under the same seed"));
        Assert.False(a["rnn.weight_hh_l0"].allclose(c["rnn.weight_hh_l0"]));

        // Keras Embedding's default U(±0.05); a tied decoder shares that matrix, and its bias starts at zero.
        var embedded = new LanguageModelOptions(VocabularySize: 50, EmbeddingSize: 16, HiddenSize: 16, Layers: 1, Init: LanguageModelInit.Keras);
        foreach (var tied in new[] { false, true })
        {
            var w = Weights(5, embedded with { TieWeights = tied });
            Assert.InRange(w["encoder.weight"].abs().max().item<double>(), 0.04, 0.05);
            Assert.Equal(0.0, w["decoder.bias"].abs().max().item<double>());
            if (tied)
                Assert.True(w["decoder.weight"].allclose(w["encoder.weight"], rtol: 0, atol: 0));
            else
                Assert.InRange(w["decoder.weight"].abs().max().item<double>(), 0.2, Math.Sqrt(6.0 / (16 + 50)));
        }
    }

    [Fact]
    public void ABFloat16DecoderKeepsFloat32ParametersGradientsAndLogitsWithinBFloat16Rounding()
    {
        manual_seed(3);
        var options = new LanguageModelOptions(50, 32, 32, 1);
        using var exact = new LanguageModel(options);
        using var fast = new LanguageModel(options with { DecoderInBFloat16 = true });
        fast.load_state_dict(exact.state_dict());
        var tokens = randint(0, 50, [7, 3]);
        var (a, _) = exact.call(tokens);
        var (b, _) = fast.call(tokens);
        Assert.Equal(ScalarType.Float32, b.dtype);
        // bfloat16 keeps 8 bits of mantissa: 32 products of two rounded factors, summed in float32, stay within a few 2^-8.
        var scale = a.abs().max().ReadDouble();
        Assert.InRange(a.sub(b).abs().max().ReadDouble(), 1e-6 * scale, 0.03 * scale);

        a.logsumexp(-1).sum().backward();
        b.logsumexp(-1).sum().backward();
        var (exactGrad, fastGrad) = (Decoder(exact).grad!, Decoder(fast).grad!);
        Assert.Equal(ScalarType.Float32, fastGrad.dtype);
        var cosine = exactGrad.flatten().dot(fastGrad.flatten()).ReadDouble() / (exactGrad.norm().ReadDouble() * fastGrad.norm().ReadDouble());
        Assert.True(cosine > 0.999, $"cosine {cosine}");
        // The gradient reaches the recurrent core through the cast as well.
        Assert.All(fast.Recurrence.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().ReadDouble() > 0));

        static TorchSharp.Modules.Parameter Decoder(LanguageModel m) => m.named_parameters().Single(p => p.name == "decoder.weight").parameter;
    }
}
