using System.Globalization;
using Research.Data;
using Research.Data.Registry;
using Research.Data.Text;
using Research.Data.TimeSeries;
using Research.Experiments.Cli;
using Research.Experiments.Reporting;

namespace Research.Experiments.Commands;

/// <summary>`research data list | verify [NAME...] | fetch NAME...`: the dataset registry from the command line.</summary>
public sealed class DataCommand : ICommand
{
    public string Name => "data";

    public string Summary => "list, verify (sha256 + statistics) or download the named datasets";

    public string Usage => "list | verify [NAME...] | fetch NAME... | inspect FILE [options]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("data-dir", $"local mirror with one folder per dataset (default ${DataDirectories.MirrorVariable})"),
        new("cache-dir", $"download cache (default ${DataDirectories.CacheVariable} or ~/.cache/research/datasets)"),
        new("time-column", "inspect a CSV: the time column", "date"),
        new("columns", "inspect a CSV: comma-separated value columns (default: all but the time column)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        var directories = DataDirectories.FromEnvironment(args.OptionalString("data-dir"), args.OptionalString("cache-dir"));
        var action = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("say what to do: list, verify or fetch");
        if (action == "inspect")
            return args.Positional.Count == 2 ? Inspect(args.Positional[1], args, stdout) : throw new UsageException("inspect needs one file");
        var names = args.Positional.Skip(1).ToList();
        var specs = names.Select(DatasetCatalog.Get).ToList();
        return action switch
        {
            "list" => List(directories, stdout),
            "verify" => Verify(specs.Count > 0 ? specs : DatasetCatalog.All, explicitNames: specs.Count > 0, directories, stdout),
            "fetch" => specs.Count > 0 ? Fetch(specs, directories, stdout) : throw new UsageException("fetch needs a dataset name (see research data list)"),
            _ => throw new UsageException($"unknown action '{action}'{DidYouMean.Suggest(action, ["list", "verify", "fetch", "inspect"])}"),
        };
    }

    private static int List(DataDirectories directories, TextWriter stdout)
    {
        var table = new MarkdownTable("dataset", "files", "MB", "where", "description");
        foreach (var spec in DatasetCatalog.All)
            table.Add(spec.Name, spec.Files.Count.ToString(CultureInfo.InvariantCulture),
                (spec.TotalBytes / 1e6).ToString("F1", CultureInfo.InvariantCulture), Where(spec, directories), spec.Description);
        stdout.Write(table);
        stdout.WriteLine($"mirror: {directories.Mirror ?? "(none)"}; cache: {directories.Cache}");
        return 0;
    }

    private static int Verify(IReadOnlyList<DatasetSpec> specs, bool explicitNames, DataDirectories directories, TextWriter stdout)
    {
        var table = new MarkdownTable("dataset", "files", "sha256 ok", "stats ok", "folder");
        var problems = new List<string>();
        var verified = 0;
        foreach (var spec in specs)
        {
            string folder;
            try
            {
                folder = directories.Locate(spec);
            }
            catch (DataException) when (!explicitNames)
            {
                table.Add(spec.Name, $"0/{spec.Files.Count}", "-", "-", "not downloaded");
                continue;
            }
            var result = DatasetVerifier.Verify(spec, folder);
            verified++;
            table.Add(spec.Name, $"{result.FilesFound}/{result.FilesExpected}", YesNo(result.ChecksumsOk),
                result.ChecksumsOk ? YesNo(result.StatisticsOk) : "-", folder);
            problems.AddRange(result.Problems);
        }
        stdout.Write(table);
        foreach (var problem in problems)
            stdout.WriteLine($"problem: {problem}");
        if (verified == 0)
        {
            stdout.WriteLine($"no dataset found: set {DataDirectories.MirrorVariable} or run `research data fetch NAME`");
            return 1;
        }
        // Data that fails its checksum or statistics is bad input, like a malformed file: exit 2.
        return problems.Count == 0 ? 0 : UsageException.ExitCode;
    }

    private static int Fetch(IReadOnlyList<DatasetSpec> specs, DataDirectories directories, TextWriter stdout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var fetcher = new DatasetFetcher(http);
        foreach (var spec in specs)
        {
            var progress = new ConsoleDownloadBar(Console.Error);
            var folder = fetcher.FetchAsync(spec, directories, progress).GetAwaiter().GetResult();
            progress.Finish();
            stdout.WriteLine($"{spec.Name}: {spec.Files.Count} files in {folder}");
        }
        return 0;
    }

    /// <summary>Loads a CSV time series or a text file the way experiments would and prints what it holds.</summary>
    private static int Inspect(string path, ParsedArgs args, TextWriter stdout)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var columns = args.OptionalString("columns")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var frame = TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions { TimeColumn = args.String("time-column"), ValueColumns = columns });
            var index = TimeIndexAnalysis.Analyze(frame);
            stdout.WriteLine($"{path}: {frame.RowCount} rows, {frame.ColumnCount} value columns ({string.Join(", ", frame.ColumnNames)})");
            stdout.WriteLine($"time: {frame.Timestamps[0]:yyyy-MM-dd HH:mm:ss} .. {frame.Timestamps[^1]:yyyy-MM-dd HH:mm:ss}, every {index.Frequency}, {index.Gaps.Count} gaps ({index.MissingSteps} missing steps)");
            foreach (var gap in index.Gaps.Take(10))
                stdout.WriteLine($"gap: {gap.MissingSteps} missing after {gap.LastBefore:yyyy-MM-dd HH:mm:ss} (row {gap.RowAfter})");
            return 0;
        }
        var text = TextFile.ReadAll(path);
        var corpus = TokenCorpus.Tokenize("file", path, text, new Vocabulary(), grow: true);
        stdout.WriteLine($"{path}: {text.Length} characters, {corpus.Lines} lines, {corpus.Length} word tokens (with <eos>), "
            + $"{corpus.Ids.Distinct().Count()} distinct words, {text.Distinct().Count()} distinct characters");
        return 0;
    }

    private static string Where(DatasetSpec spec, DataDirectories directories)
    {
        try
        {
            var folder = directories.Locate(spec);
            return folder.StartsWith(directories.Cache, StringComparison.Ordinal) ? "cache" : "mirror";
        }
        catch (DataException)
        {
            return "not downloaded";
        }
    }

    private static string YesNo(bool ok) => ok ? "yes" : "NO";
}
