using System.CommandLine;
using Research.Data.Text;
using Research.Experiments.Cli;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;
using Research.Models.Language;
using TorchSharp;

namespace Research.Experiments.Commands;

/// <summary>`research generate RUN --prompt ... --length N --temperature T --top-k K`: text from a trained language model.</summary>
public static class GenerateCommand
{
    private static readonly Argument<string> RunPath = TypedOptions.One("RUN", "a language model's run folder");
    private static readonly Option<string> Prompt = TypedOptions.Text("--prompt", "text to start from (words, or characters for character models)", "<eos>");
    private static readonly Option<int> Length = TypedOptions.Int("--length", "tokens to generate", 100, min: 1);
    private static readonly Option<double> Temperature = TypedOptions.Double("--temperature", "softmax temperature: < 1 sharper, > 1 flatter", 1.0, min: 1e-6);
    private static readonly Option<int> TopK = TypedOptions.Int("--top-k", "sample only among the k most likely tokens (0: all)", 0, min: 0);
    private static readonly Option<int> Seed = TypedOptions.Int("--seed", "random seed of the sampler", 1, min: 0);

    public static Command Create() => Verb.Create("generate", "sample text from a trained language model run (its best checkpoint)", Run,
        RunPath, Prompt, Length, Temperature, TopK, Seed);

    private static int Run(ParseResult args, CommandContext io)
    {
        var run = RunFolder.Open(args.GetValue(RunPath)!);
        var length = args.GetValue(Length);
        var temperature = args.GetValue(Temperature);
        var topK = args.GetValue(TopK);
        var seed = args.GetValue(Seed);
        var (settings, vocabulary, _, model, device, _) = TrainedLanguageModel.Load(run);
        var charLevel = ExperimentBuilder.IsCharLevel(settings.Data);
        // A lower-cased corpus has no capitals: read the prompt as the training text was read.
        var data = settings.For<TextDataSettings, LanguageModelSettings>().Data;
        var promptText = data.LowerCase ? args.GetValue(Prompt)!.ToLowerInvariant() : args.GetValue(Prompt)!;
        var prompt = Encode(promptText, vocabulary, charLevel, "--prompt");
        using var generator = new torch.Generator((ulong)seed, device);
        // A windows model never saw a state beyond its window: it samples from the last window, as Keras does.
        var window = data.Windows.Length > 0 ? data.Windows.Length : (int?)null;
        var ids = TextSampler.Sample(model, prompt, length, temperature, topK == 0 ? null : topK, generator, window);
        var tokens = ids.Select(id => vocabulary[(int)id]);
        io.Out.WriteLine(charLevel
            ? string.Concat(tokens)
            : string.Join(' ', tokens).Replace($" {Vocabulary.EndOfSentence} ", "\n", StringComparison.Ordinal));
        return 0;
    }

    /// <summary>Token ids of a text in a run's vocabulary (unknown words → &lt;unk&gt; where the vocabulary has it).</summary>
    /// <exception cref="UsageException">A piece is not in the vocabulary, or the text is empty; the message names <paramref name="option"/>.</exception>
    internal static List<long> Encode(string prompt, Vocabulary vocabulary, bool charLevel, string option)
    {
        var pieces = charLevel ? prompt.Select(c => c.ToString()) : prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ids = new List<long>();
        foreach (var piece in pieces)
        {
            if (vocabulary.Contains(piece))
                ids.Add(vocabulary[piece]);
            else if (!charLevel && vocabulary.Contains(Vocabulary.Unknown))
                ids.Add(vocabulary[Vocabulary.Unknown]);
            else
                throw new UsageException($"{option}: '{piece}' is not in the model's vocabulary");
        }
        return ids.Count > 0 ? ids : throw new UsageException($"{option} is empty");
    }
}
