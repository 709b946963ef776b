using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OnnxInference;

/// <summary>Language models: read the prompt, then sample one token at a time, carrying the recurrent state.</summary>
public static class TextSampling
{
    public static void Sample(InferenceSession session, ModelDescription description, Options options, TextWriter stdout)
    {
        var vocabulary = description.Vocabulary;
        if (vocabulary.Count == 0)
            throw new ArgumentException("model.json names no vocabulary");
        // A character model's tokens are single characters: the prompt is split into characters, the text joined without spaces.
        var characters = vocabulary.All(t => t.Length == 1);
        var ids = vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id, StringComparer.Ordinal);
        var promptTokens = options.Prompt is null ? [vocabulary[0]]
            : characters ? options.Prompt.Select(c => c.ToString()).ToList() : [.. options.Prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var unknown = promptTokens.FirstOrDefault(t => !ids.ContainsKey(t));
        if (unknown is not null)
            throw new ArgumentException($"the prompt's token '{unknown}' is not in the vocabulary");

        var state = session.InputMetadata.Where(m => m.Key != "tokens").ToDictionary(m => m.Key, m => Zeros(m.Value.Dimensions));
        var random = new Random(options.Seed);
        var text = new List<string>(promptTokens);
        var next = promptTokens.Select(t => (long)ids[t]).ToArray();
        for (var step = 0; step < options.Length; step++)
        {
            var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(next, [next.Length, 1])) };
            inputs.AddRange(state.Select(s => NamedOnnxValue.CreateFromTensor(s.Key, s.Value)));
            using var results = session.Run(inputs);
            var logits = results.First(r => r.Name == "logits").AsTensor<float>();
            var last = Enumerable.Range(0, vocabulary.Count).Select(v => (double)logits[next.Length - 1, 0, v]).ToArray();
            var id = Draw(last, options.Temperature, random);
            text.Add(vocabulary[id]);
            next = [id];
            // h_n and c_n are the next call's h0 and c0.
            foreach (var name in state.Keys.ToList())
                state[name] = results.First(r => r.Name == (name == "h0" ? "h_n" : "c_n")).AsTensor<float>().ToDenseTensor();
        }
        stdout.WriteLine(string.Join(characters ? "" : " ", text));
    }

    /// <summary>A token drawn from softmax(logits / temperature).</summary>
    private static int Draw(double[] logits, double temperature, Random random)
    {
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0)
                return i;
        }
        return weights.Length - 1;
    }

    /// <summary>A zero state of the graph's shape with batch 1 (the symbolic dimension).</summary>
    private static DenseTensor<float> Zeros(int[] dims) => new([.. dims.Select(d => d < 0 ? 1 : d)]);
}
