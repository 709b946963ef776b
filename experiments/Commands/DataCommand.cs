using System.CommandLine;
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
public static class DataCommand
{
    private static readonly Option<string?> DataDir = TypedOptions.Text("--data-dir", $"local mirror with one folder per dataset (default ${DataDirectories.MirrorVariable})");
    private static readonly Option<string?> CacheDir = TypedOptions.Text("--cache-dir", $"download cache (default ${DataDirectories.CacheVariable} or ~/.cache/research/datasets)");
    private static readonly Option<string?> Catalogue = TypedOptions.Text("--catalogue", $"a lab's dataset catalogue merged with the built-in registry (default ${LabCatalogue.Variable})");
    private static readonly Option<string?> Url = TypedOptions.Text("--url", "the URL the lab serves the files under (each file's URL is it plus the file's name)");
    private static readonly Option<string?> Config = TypedOptions.Text("--config", "read the data as this experiment config does (its task and data section)");
    private static readonly Option<string?> Task = TypedOptions.Text("--task", "language_model, forecast or music (default: the config's, else by extension: .csv/.tsv forecast, .json music, else text)");
    private static readonly Argument<string[]> Names = TypedOptions.Many("NAME", "dataset names (research data list shows them)");
    private static readonly Argument<string> NewName = TypedOptions.One("NAME", "the new dataset's name");
    private static readonly Argument<string[]> Paths = new("PATH") { Description = "the dataset's files", Arity = ArgumentArity.OneOrMore };
    private static readonly Argument<string[]> Inspected = TypedOptions.Many("TARGET", "a file, folder or dataset name, then data.key=value overrides");

    public static Command Create() => new("data", "list, verify (sha256 + statistics) or download datasets; add one to a lab catalogue; inspect what an experiment would read")
    {
        Verb.Create("list", "every dataset of the registry and where it is", (args, io) => List(Registry(args), Directories(args), io.Out),
            DataDir, CacheDir, Catalogue),
        Verb.Create("verify", "check the files' sha256 and statistics (default: every dataset downloaded)", (args, io) =>
        {
            var specs = args.GetValue(Names)!.Select(Registry(args).Get).ToList();
            return Verify(specs.Count > 0 ? specs : Registry(args).All, explicitNames: specs.Count > 0, Directories(args), io.Out);
        }, DataDir, CacheDir, Catalogue, Names),
        Verb.Create("fetch", "download datasets into the cache", (args, io) =>
        {
            var specs = args.GetValue(Names)!.Select(Registry(args).Get).ToList();
            return specs.Count > 0 ? Fetch(specs, Directories(args), io) : throw new UsageException("fetch needs a dataset name (see research data list)");
        }, DataDir, CacheDir, Catalogue, Names),
        Verb.Create("add", "add one's own files to the lab catalogue as a dataset", (args, io) =>
        {
            io.Out.Write(LabCatalogueEntry.Write(args.GetValue(NewName)!, args.GetValue(Paths)!, Registry(args), args.GetValue(Url)));
            return 0;
        }, Catalogue, Url, NewName, Paths),
        Verb.Create("inspect", "what an experiment would read, through the loaders training uses", Inspect,
            DataDir, CacheDir, Catalogue, Config, Task, Inspected),
    };

    private static DataDirectories Directories(ParseResult args) => DataDirectories.FromEnvironment(args.GetValue(DataDir), args.GetValue(CacheDir));

    private static DatasetRegistry Registry(ParseResult args) => LabCatalogue.Registry(args.GetValue(Catalogue));

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

    private static int Fetch(IReadOnlyList<DatasetSpec> specs, DataDirectories directories, CommandContext io)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var fetcher = new DatasetFetcher(http);
        foreach (var spec in specs)
        {
            var progress = new ConsoleDownloadBar(io.Error);
            var folder = fetcher.FetchAsync(spec, directories, progress).GetAwaiter().GetResult();
            progress.Finish();
            io.Out.WriteLine($"{spec.Name}: {spec.Files.Count} files in {folder}");
        }
        return 0;
    }

    /// <summary>What an experiment would read, through the loaders training uses (see <see cref="DataInspection"/>).</summary>
    private static int Inspect(ParseResult args, CommandContext io)
    {
        var rest = args.GetValue(Inspected)!;
        var target = rest.Length > 0 && !rest[0].Contains('=', StringComparison.Ordinal) ? rest[0] : null;
        var overrides = target is null ? rest : rest.Skip(1).ToArray();
        var config = args.GetValue(Config);
        if (target is null && config is null)
            throw new UsageException("inspect needs a file, folder or dataset name, or --config CONFIG");
        var bad = overrides.FirstOrDefault(o => !o.Contains('=', StringComparison.Ordinal));
        if (bad is not null)
            throw new UsageException($"'{bad}' is not an option of the data: write data.key=value (e.g. data.time_column=Month)");
        var settings = DataInspection.Settings(target, config, args.GetValue(Task), overrides, args.GetValue(DataDir), args.GetValue(Catalogue));
        DataInspection.Write(settings, args.GetValue(CacheDir), io.Out);
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
