using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// Draws text from a <see cref="LanguageModel"/>: the prompt is read once to set the state, then each next token is
/// sampled from softmax(logits / temperature), optionally restricted to the k most likely tokens. A model trained on
/// fixed windows (Keras lstm_text_generation) is given the window length instead: each token is then predicted from a
/// zero state over the last window of text, prompt and generated tokens alike, as the Keras example samples.
/// </summary>
public static class TextSampler
{
    public static IReadOnlyList<long> Sample(LanguageModel model, IReadOnlyList<long> prompt, int length, double temperature = 1.0,
        int? topK = null, Generator? generator = null, int? window = null)
    {
        if (prompt.Count == 0)
            throw new ArgumentException("the prompt needs at least one token", nameof(prompt));
        if (temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        if (topK is <= 0)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must be positive");
        if (window is <= 0)
            throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be positive");

        var wasTraining = model.training;
        model.eval();
        var device = model.parameters().First().device;
        var produced = new List<long>(length);
        using (no_grad())
        {
            var text = prompt.ToList();
            var (logits, state) = model.call(Tokens(text, window, device));
            // Explicit Scalars held for the whole loop: an implicit one can be finalised while libtorch reads it.
            using var inverseTemperature = (1.0 / temperature).ToScalar();
            using var minusInfinity = double.NegativeInfinity.ToScalar();
            for (var k = 0; k < length; k++)
            {
                using var scope = NewDisposeScope();
                var last = logits[-1, 0].mul(inverseTemperature);                   // [V], logits / temperature
                if (topK is { } kTop && kTop < last.shape[0])
                {
                    var threshold = last.topk(kTop).values[-1];
                    last = last.masked_fill(last < threshold, minusInfinity);
                }
                var next = multinomial(softmax(last, 0), 1, generator: generator).item<long>();
                produced.Add(next);
                text.Add(next);
                var (nextLogits, nextState) = window is null
                    ? model.call(tensor(new[] { next }, device: device).view(1, 1), state)
                    : model.call(Tokens(text, window, device));
                logits = nextLogits.MoveToOuterDisposeScope();
                state = nextState.MoveToOuterDisposeScope();
            }
        }
        model.train(wasTraining);
        return produced;
    }

    /// <summary>[T, 1] ids: the whole text, or its last <paramref name="window"/> tokens.</summary>
    private static Tensor Tokens(List<long> text, int? window, Device device)
    {
        var start = window is { } w ? Math.Max(0, text.Count - w) : 0;
        return tensor(text.GetRange(start, text.Count - start).ToArray(), device: device).view(-1, 1);
    }
}
