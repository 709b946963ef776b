namespace Research.Data.Text;

/// <summary>
/// The train, validation and test files of a text corpus in one folder. <see cref="Conventional"/> holds the layouts
/// the project recognises by itself: pytorch/examples word_language_model (train.txt, valid.txt, test.txt), WikiText
/// (wiki.train.tokens, ...) and Mikolov's PTB (ptb.train.txt, ...).
/// </summary>
public sealed record TextSplitFiles(string Train, string Valid, string Test)
{
    public static IReadOnlyList<TextSplitFiles> Conventional { get; } =
    [
        new("train.txt", "valid.txt", "test.txt"),
        new("wiki.train.tokens", "wiki.valid.tokens", "wiki.test.tokens"),
        new("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"),
    ];

    /// <summary>The first conventional layout whose three files are all in <paramref name="folder"/>.</summary>
    /// <exception cref="DataException">None is complete; the message lists what was looked for and what is there.</exception>
    public static TextSplitFiles Find(string folder)
    {
        var found = Conventional.FirstOrDefault(l => l.Paths(folder).All(File.Exists));
        if (found is not null)
            return found;
        var present = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(10).ToList();
        var looked = string.Join("; ", Conventional.Select(l => $"{l.Train}, {l.Valid}, {l.Test}"));
        throw DataException.In(folder,
            $"no train/valid/test files found (looked for {looked}; the folder holds {(present.Count == 0 ? "no files" : string.Join(", ", present))}); " +
            "name them with train_file, valid_file and test_file");
    }

    /// <summary>The three files as paths inside <paramref name="folder"/>, train first.</summary>
    public IReadOnlyList<string> Paths(string folder) =>
        [Path.Combine(folder, Train), Path.Combine(folder, Valid), Path.Combine(folder, Test)];
}
