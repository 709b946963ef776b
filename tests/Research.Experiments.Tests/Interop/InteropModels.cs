using Research.Experiments.Tests.Runs;
using Research.Models.Language;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>Word language models and inputs for the interop tests, built outside any DisposeScope.</summary>
internal static class InteropModels
{
    public static LanguageModel Word(long vocabulary = 50, long embedding = 16, long hidden = 24, long layers = 2)
    {
        var model = new LanguageModel(new LanguageModelOptions(vocabulary, embedding, hidden, layers, Init: LanguageModelInit.UniformAll));
        model.eval();
        return model;
    }

    public static Tensor Tokens(long vocabulary = 50, long steps = 7, long batch = 3, long seed = 5)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, vocabulary, [steps, batch], dtype: ScalarType.Int64, generator: generator);
    }

    public static Tensor Logits(LanguageModel model, Tensor tokens)
    {
        using var noGrad = no_grad();
        var (logits, state) = model.call(tokens);
        state.Dispose();
        return logits;
    }

    /// <summary>Same dtype, shape and every value.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape))
            return false;
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var difference = a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64);
        using var max = difference.abs().max();
        return max.item<double>();
    }

    /// <summary>`research train` of the tiny LM with each case's overrides: exit 2, the message on one line, no run folder.</summary>
    public static void AssertEachTrainIsOneLineExit2WithoutARunFolder(string dir, IEnumerable<(string[] Overrides, string Message)> cases)
    {
        var config = TinyRuns.WriteConfig(dir, TinyRuns.LanguageModel);
        var runs = Path.Combine(dir, "bad-runs");
        foreach (var (overrides, message) in cases)
        {
            var (code, stdout, stderr) = TinyRuns.InProcess(["train", config, "--runs-dir", runs, .. overrides]);
            Assert.True(code == 2, $"{string.Join(' ', overrides)}: exit {code}\n{stderr}{stdout}");
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
            Assert.False(Directory.Exists(runs), $"{string.Join(' ', overrides)} left a run folder");
        }
    }
}
