using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// Draws text from a <see cref="LanguageModel"/>: the prompt is read once to set the state, then each next token is
/// sampled from softmax(logits / temperature), optionally restricted to the k most likely tokens.
/// </summary>
public static class TextSampler
{
    public static IReadOnlyList<long> Sample(LanguageModel model, IReadOnlyList<long> prompt, int length, double temperature = 1.0,
        int? topK = null, Generator? generator = null)
    {
        if (prompt.Count == 0)
            throw new ArgumentException("the prompt needs at least one token", nameof(prompt));
        if (temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        if (topK is <= 0)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must be positive");

        var wasTraining = model.training;
        model.eval();
        var device = model.parameters().First().device;
        var produced = new List<long>(length);
        using (no_grad())
        {
            var tokens = tensor(prompt.ToArray(), device: device).view(-1, 1);       // [T, 1]
            var (logits, state) = model.call(tokens);
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
                var (nextLogits, nextState) = model.call(tensor(new[] { next }, device: device).view(1, 1), state);
                logits = nextLogits.MoveToOuterDisposeScope();
                state = (nextState.h.MoveToOuterDisposeScope(), nextState.c.MoveToOuterDisposeScope());
            }
        }
        model.train(wasTraining);
        return produced;
    }
}
