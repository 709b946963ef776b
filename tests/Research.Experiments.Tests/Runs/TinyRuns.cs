using System.Diagnostics;
using Research.Experiments.Cli;

namespace Research.Experiments.Tests.Runs;

/// <summary>
/// Small configs and ways to run them: in this process (for files and messages) or as a child process (for anything
/// that compares numbers: libtorch's random generator is global, and tests of other classes run in parallel).
/// </summary>
public static class TinyRuns
{
    /// <summary>A language model on the Markov source that trains an epoch in well under a second.</summary>
    public const string LanguageModel = """
        experiment: tiny
        task: language_model
        seed: 3
        data:
          name: markov
          symbols: 8
          train_tokens: 4000
          eval_tokens: 800
        model:
          embedding_size: 8
          hidden_size: 12
          layers: 2
          dropout: 0.2
        train:
          epochs: 4
          batch_size: 8
          eval_batch_size: 8
          bptt: 10
          optimizer: adam
          lr: 0.01
          log_every: 5
        """;

    public static string WriteConfig(string dir, string yaml, string name = "tiny.yaml")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public static (int code, string stdout, string stderr) InProcess(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CommandLineApp.Run(Program.Commands, args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts `research ARGS` in a child process (the research.dll copied beside the tests).</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "research.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public static (int code, string stdout, string stderr) Child(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"research {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The dataset mirror: $RESEARCH_DATA_DIR, else ../shared/data beside the repository (as on CI).</summary>
    public static string SharedData { get; } = Environment.GetEnvironmentVariable("RESEARCH_DATA_DIR") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>The single run folder under runs/&lt;experiment&gt;.</summary>
    public static string OnlyRun(string runsDir, string experiment = "tiny") =>
        Assert.Single(Directory.GetDirectories(Path.Combine(runsDir, experiment)));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Research.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("no Research.sln above the test binaries");
    }
}
