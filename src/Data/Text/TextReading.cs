namespace Research.Data.Text;

/// <summary>
/// How a registered text dataset is read at one <see cref="TextLevel"/>: one file cut by fraction
/// (<see cref="SingleFile"/>) or a file per split (<see cref="Splits"/>). With <see cref="SymbolsAsWords"/> the files
/// hold one symbol per space-separated token (Mikolov's PTB character files), so they are tokenised like words.
/// </summary>
public sealed record TextReading(TextLevel Level, string? SingleFile, TextSplitFiles? Splits, bool SymbolsAsWords = false)
{
    public static TextReading OneFile(TextLevel level, string file) => new(level, file, null);

    public static TextReading SplitFiles(TextLevel level, TextSplitFiles splits, bool symbolsAsWords = false) => new(level, null, splits, symbolsAsWords);
}
