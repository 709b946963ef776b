using System.Globalization;
using Research.Data;
using Research.Data.Registry;
using Research.Experiments.Cli;
using Research.Experiments.Reporting;
using Research.Experiments.Sources;

namespace Research.Experiments.Commands;

/// <summary>
/// `research data list | verify [NAME...] | fetch NAME... | add NAME PATH... | inspect [PATH|NAME] [data.key=value ...]`:
/// the dataset registry (built-in plus a lab's catalogue) and one's own files, from the command line.
/// </summary>
public sealed class DataCommand : ICommand
{
    public string Name => "data";

    public string Summary => "list, verify (sha256 + statistics) or download datasets; add one to a lab catalogue; inspect what an experiment would read";

    public string Usage => "list | verify [NAME...] | fetch NAME... | add NAME PATH... | inspect [PATH|NAME] [--config CONFIG] [--task TASK] [data.key=value ...]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("data-dir", $"local mirror with one folder per dataset (default ${DataDirectories.MirrorVariable})"),
        new("cache-dir", $"download cache (default ${DataDirectories.CacheVariable} or ~/.cache/research/datasets)"),
        new("catalogue", $"a lab's dataset catalogue merged with the built-in registry (default ${LabCatalogue.Variable})"),
        new("url", "add: the URL the lab serves the files under (each file's URL is it plus the file's name)"),
        new("config", "inspect: read the data as this experiment config does (its task and data section)"),
        new("task", "inspect: language_model, forecast or music (default: the config's, else by extension: .csv/.tsv forecast, .json music, else text)"),
    ];

    public int Run(ParsedArgs args, TextWriter stdout)
    {
        var directories = DataDirectories.FromEnvironment(args.OptionalString("data-dir"), args.OptionalString("cache-dir"));
        var action = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("say what to do: list, verify, fetch, add or inspect");
        if (action == "inspect")
            return Inspect(args, stdout);
        var registry = LabCatalogue.Registry(args.OptionalString("catalogue"));
        if (action == "add")
        {
            if (args.Positional.Count < 3)
                throw new UsageException("add needs a name and the dataset's files: research data add NAME PATH...");
            stdout.Write(LabCatalogueEntry.Write(args.Positional[1], args.Positional.Skip(2).ToList(), registry, args.OptionalString("url")));
            return 0;
        }
        var names = args.Positional.Skip(1).ToList();
        var specs = names.Select(registry.Get).ToList();
        return action switch
        {
            "list" => List(registry, directories, stdout),
            "verify" => Verify(specs.Count > 0 ? specs : registry.All, explicitNames: specs.Count > 0, directories, stdout),
            "fetch" => specs.Count > 0 ? Fetch(specs, directories, stdout) : throw new UsageException("fetch needs a dataset name (see research data list)"),
            _ => throw new UsageException($"unknown action '{action}'{DidYouMean.Suggest(action, ["list", "verify", "fetch", "add", "inspect"])}"),
        };
    }

    private static int List(DatasetRegistry registry, DataDirectories directories, TextWriter stdout)
    {
        var table = new MarkdownTable("dataset", "files", "MB", "where", "description");
        foreach (var spec in registry.All)
            table.Add(spec.Name, spec.Files.Count.ToString(CultureInfo.InvariantCulture),
                (spec.TotalBytes / 1e6).ToString("F1", CultureInfo.InvariantCulture), Where(spec, directories), spec.Description);
        stdout.Write(table);
        stdout.WriteLine($"mirror: {directories.Mirror ?? "(none)"}; cache: {directories.Cache}; lab catalogue: {registry.LabCatalogue ?? "(none)"}");
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

    /// <summary>What an experiment would read, through the loaders training uses (see <see cref="DataInspection"/>).</summary>
    private static int Inspect(ParsedArgs args, TextWriter stdout)
    {
        var rest = args.Positional.Skip(1).ToList();
        var target = rest.Count > 0 && !rest[0].Contains('=', StringComparison.Ordinal) ? rest[0] : null;
        var overrides = target is null ? rest : rest.Skip(1).ToList();
        var config = args.OptionalString("config");
        if (target is null && config is null)
            throw new UsageException("inspect needs a file, folder or dataset name, or --config CONFIG");
        var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
        if (bad is not null)
            throw new UsageException($"'{bad}' is not an option of the data: write data.key=value (e.g. data.time_column=Month)");
        var settings = DataInspection.Settings(target, config, args.OptionalString("task"), overrides, args.OptionalString("data-dir"), args.OptionalString("catalogue"));
        DataInspection.Write(settings, args.OptionalString("cache-dir"), stdout);
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
