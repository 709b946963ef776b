using System.ComponentModel.DataAnnotations;
using Research.Data.Text;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>data.* of the language_model task: a text corpus and how it is cut, or the Markov generator's keys.</summary>
public sealed class TextDataSettings : SourceDataSettings, IValidatedSettings
{
    /// <summary>word or char; null: the registered dataset's own level, words for files of one's own.</summary>
    public TextLevel? Level { get; set; }

    // A text folder's split files; null finds the conventional layouts (TextSplitFiles.Find).
    public string? TrainFile { get; set; }

    public string? ValidFile { get; set; }

    public string? TestFile { get; set; }

    /// <summary>
    /// A corpus from one file: the train fraction (char-rnn: 0.95); validation and test share the rest equally. 1.0 trains
    /// on the whole text with nothing held out (Keras's text-generation example): runs are then judged on training loss.
    /// </summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double TrainFraction { get; set; } = 0.95;

    /// <summary>Lower-case the text before the vocabulary is built (Keras lstm_text_generation: text.lower()).</summary>
    public bool LowerCase { get; set; }

    /// <summary>Every newline read as a space, before the vocabulary is built (Keras lstm_text_generation: text.replace("\n", " ")); character level only.</summary>
    public bool NewlinesToSpaces { get; set; }

    /// <summary>Fixed windows with a next-token target (Keras) instead of truncated BPTT over streams.</summary>
    public TextWindowSettings Windows { get; set; } = new();

    // The Markov generator (data.name: markov).
    [Range(2, 100_000)]
    public int Symbols { get; set; } = 16;

    [Range(2, int.MaxValue)]
    public int TrainTokens { get; set; } = 100_000;

    [Range(2, int.MaxValue)]
    public int EvalTokens { get; set; } = 10_000;

    /// <summary>Concentration of the Markov source's rows: smaller is more predictable (lower entropy rate).</summary>
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double Concentration { get; set; } = 0.1;

    public IEnumerable<ConfigProblem> Validate()
    {
        var splitFiles = new[] { TrainFile, ValidFile, TestFile }.Count(f => f is not null);
        if (splitFiles is 1 or 2)
            yield return new(nameof(TrainFile), "name all three split files (train_file, valid_file, test_file) or none");
        if (TrainFraction == 1.0 && splitFiles == 3)
            yield return new(nameof(TrainFraction), "1.0 (nothing held out) applies to a corpus of one file, not to split files");
        if (NewlinesToSpaces && Level == TextLevel.Word)
            yield return new(nameof(NewlinesToSpaces), "applies to level char only (words have no newline symbol)");
    }
}
