using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;
using Research.Data.Synthetic;
using Research.Data.Text;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tasks;

namespace Research.Experiments.Sources;

/// <summary>
/// A language-model corpus from any text source, the same way for all: a registered dataset is read as its registry
/// entry says, a lab dataset or data of one's own by its shape. One file is cut by fraction (train_fraction, the rest
/// shared equally by validation and test); a folder holds a file per split (train_file, valid_file, test_file, else a
/// conventional layout). Characters or words as data.level says.
/// </summary>
public static class CorpusLoader
{
    public static (LanguageCorpus Corpus, DataProvenance Provenance) Load(DataSource source, TextDataSettings d, int seed, DataDirectories directories)
    {
        switch (source)
        {
            case GeneratedData { Generator: Generator.Markov }:
                if (d.Level == TextLevel.Char)
                    throw new DataException($"the {source.Name} generator has no character level: its symbols are the tokens (leave data.level out)");
                var chain = MarkovChainSource.RandomChain(d.Symbols, seed, d.Concentration);
                var tokens = chain.ToCorpus(d.TrainTokens, d.EvalTokens, d.EvalTokens, seed);
                var facts = new Dictionary<string, double> { ["entropy_rate_nats"] = chain.EntropyRate, ["entropy_rate_bits"] = chain.EntropyRateBits };
                return (new LanguageCorpus(tokens.Vocabulary, tokens.Train, tokens.Valid, tokens.Test, CharLevel: false), DataProvenance.Of(source, [], facts));
            case GeneratedData other:
                throw new DataException($"the {other.Name} generator makes no text");
            default:
                var (reading, folder) = Reading(source, d, directories);
                return Read(source, reading, folder, d);
        }
    }

    /// <summary>How to read the source at the configured level, and the folder its file names are in.</summary>
    private static (TextReading Reading, string Folder) Reading(DataSource source, TextDataSettings d, DataDirectories directories)
    {
        if (source is RegisteredData { Spec.Text.Count: > 0 } known)
        {
            var level = d.Level ?? known.Spec.Text[0].Level;
            var reading = known.Spec.Text.FirstOrDefault(t => t.Level == level) ?? throw new DataException(
                $"dataset '{known.Name}' has no {Level(level)} level here (it has: {string.Join(", ", known.Spec.Text.Select(t => Level(t.Level)))})");
            return (reading, directories.Locate(known.Spec));
        }
        var own = d.Level ?? TextLevel.Word;
        if (source is OwnData { IsFolder: false } file)
            return (TextReading.OneFile(own, Path.GetFileName(file.Path)), Path.GetDirectoryName(file.Path)!);
        var folder = SourceFiles.Folder(source, directories);
        if (d.TrainFile is not null)
            return (TextReading.SplitFiles(own, new TextSplitFiles(d.TrainFile, d.ValidFile!, d.TestFile!)), folder);
        // A lab dataset of one file is cut by fraction like a file of one's own.
        if (source is RegisteredData { Spec.Files.Count: 1 } single)
            return (TextReading.OneFile(own, single.Spec.Files[0].Name), folder);
        return (TextReading.SplitFiles(own, TextSplitFiles.Find(folder)), folder);
    }

    private static (LanguageCorpus, DataProvenance) Read(DataSource source, TextReading reading, string folder, TextDataSettings d)
    {
        var charLevel = reading.Level == TextLevel.Char;
        var validFraction = (1 - d.TrainFraction) / 2;
        string[] paths;
        TokenSplit train, valid, test;
        Vocabulary vocabulary;
        if (reading.SingleFile is { } name)
        {
            var path = Path.Combine(folder, name);
            paths = [path];
            // Valid and test share what train leaves (with valid taking all of it the test split was empty and every run failed).
            if (charLevel)
            {
                var chars = CharCorpus.FromFile(path, d.TrainFraction, validFraction, d.LowerCase, newlinesToSpaces: d.NewlinesToSpaces);
                (vocabulary, train, valid, test) = (chars.Vocabulary, chars.Train, chars.Valid, chars.Test);
            }
            else
            {
                var words = TokenCorpus.FromFile(path, d.TrainFraction, validFraction);
                (vocabulary, train, valid, test) = (words.Vocabulary, words.Train, words.Valid, words.Test);
            }
        }
        else
        {
            paths = [.. reading.Splits!.Paths(folder)];
            foreach (var path in paths.Where(p => !File.Exists(p)))
                throw DataException.In(path, $"file not found (the {SplitOf(path, paths)} file of '{source.Name}')");
            if (charLevel && !reading.SymbolsAsWords)
            {
                var chars = CharCorpus.FromFiles(paths[0], paths[1], paths[2], d.LowerCase, newlinesToSpaces: d.NewlinesToSpaces);
                (vocabulary, train, valid, test) = (chars.Vocabulary, chars.Train, chars.Valid, chars.Test);
            }
            else
            {
                var words = TokenCorpus.Load(paths[0], paths[1], paths[2]);
                (vocabulary, train, valid, test) = (words.Vocabulary, words.Train, words.Valid, words.Test);
            }
        }
        // train_fraction 1.0 holds nothing out on purpose: only train must have text then.
        var wholeCorpus = reading.SingleFile is not null && d.TrainFraction == 1.0;
        foreach (var split in new[] { train, valid, test }.Where(s => s.Length == 0 && !(wholeCorpus && s != train)))
        {
            throw DataException.In(split.SourcePath ?? folder, $"the {split.Name} split is empty" + (reading.SingleFile is null ? ""
                : $" (train_fraction {d.TrainFraction} leaves too little of this file; give a longer file or a folder with train, valid and test files)"));
        }
        return (new LanguageCorpus(vocabulary, train, valid, test, charLevel), DataProvenance.Of(source, SourceFiles.Record(source, paths)));
    }

    private static string SplitOf(string path, string[] paths) => Array.IndexOf(paths, path) switch { 0 => "train", 1 => "valid", _ => "test" };

    private static string Level(TextLevel level) => level == TextLevel.Char ? "character" : "word";
}
