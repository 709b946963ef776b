using System.Globalization;
using Research.Data.Registry;
using Research.Experiments.Cli;
using Research.Models.Runtime;

namespace Research.Experiments.Notebooks;

/// <summary>
/// What the notebooks call besides the library itself: <see cref="Start"/> once (notebooks/research.csx does it), the
/// repository's folders wherever the kernel was started, and parameters that a headless run can override.
/// </summary>
public static class Notebook
{
    /// <summary>
    /// `RESEARCH_NB_maxSteps=3` overrides the parameter maxSteps of any notebook that asks for it: how scripts/notebooks.sh
    /// runs them at CI scale while a kernel in VS Code or Jupyter gets the defaults written in the notebook.
    /// </summary>
    public const string ParameterPrefix = "RESEARCH_NB_";

    private static string? _root;
    private static CommandContext? _output;

    /// <summary>
    /// The repository this assembly was built in (the folder holding Research.sln), whatever the kernel's working folder;
    /// for a file-based app, the repository of its source file (<see cref="FileApp.Start"/>).
    /// </summary>
    public static string RepositoryRoot => _root ??= FindRepositoryRoot(Path.GetDirectoryName(typeof(Notebook).Assembly.Location)!);

    internal static void UseRepositoryAbove(string path) => _root = FindRepositoryRoot(path);

    /// <summary>
    /// Loads libtorch (one clear line if it cannot), registers the plot and table formatters and, when
    /// $RESEARCH_DATA_DIR is unset, points it at ../shared/data beside the repository if that folder exists.
    /// Writes one line saying what it set up. The writers are looked up at each write: a kernel gives every cell its own
    /// Console (notebooks/research.csx passes <c>() =&gt; Console.Out</c>).
    /// </summary>
    public static void Start(Func<TextWriter> output, Func<TextWriter> error)
    {
        NotebookFormatters.Register();
        StartSession(output, error);
    }

    /// <summary>Start less the formatters: what a notebook and its file-based app (<see cref="FileApp"/>) share.</summary>
    internal static void StartSession(Func<TextWriter> output, Func<TextWriter> error)
    {
        _output = new CommandContext(new RepositoryRelativeWriter(output), new RepositoryRelativeWriter(error));
        TorchRuntime.EnsureLoaded();
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataDirectories.MirrorVariable)) && Directory.Exists(shared))
            Environment.SetEnvironmentVariable(DataDirectories.MirrorVariable, shared);
        var data = DataDirectories.FromEnvironment();
        Output.Out.WriteLine($"TorchSharp {TorchRuntime.TorchSharpVersion} (libtorch {TorchRuntime.LibTorchVersion}); datasets from {Shown(data.Mirror ?? data.Cache)}");
    }

    /// <summary>
    /// The value of $RESEARCH_NB_&lt;name&gt; converted to the type of <paramref name="defaultValue"/> (int, long, double,
    /// bool or string, invariant culture), else <paramref name="defaultValue"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The variable is set but does not convert; the message names it.</exception>
    public static T Parameter<T>(string name, T defaultValue)
        where T : notnull
    {
        var variable = ParameterPrefix + name;
        var text = Environment.GetEnvironmentVariable(variable);
        if (text is null)
            return defaultValue;
        try
        {
            return (T)Convert.ChangeType(text.Trim(), typeof(T), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"{variable}='{text}' is not a {typeof(T).Name} (the notebook's parameter {name} is {defaultValue})", e);
        }
    }

    /// <summary>
    /// The writers given to <see cref="Start"/> with the repository's absolute path left out, so that what the library
    /// prints ("run folder: /home/me/research/runs/...") reads "runs/..." in a notebook's outputs.
    /// </summary>
    public static CommandContext Output => _output ?? throw new InvalidOperationException("call Notebook.Start first");

    /// <summary>Where runs go: <paramref name="runsDir"/> when given, else runs/ under the repository.</summary>
    public static string RunsDirectory(string runsDir) =>
        runsDir.Length > 0 ? Path.GetFullPath(runsDir) : Path.Combine(RepositoryRoot, "runs");

    /// <summary>A path as a notebook prints it: relative to the repository when inside or beside it, so outputs carry no machine paths.</summary>
    public static string Shown(string path)
    {
        var relative = Path.GetRelativePath(RepositoryRoot, Path.GetFullPath(path));
        return relative.StartsWith(".." + Path.DirectorySeparatorChar + "..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? path
            : relative;
    }

    internal static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Research.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Research.sln above {start}: load the notebooks' assemblies from the repository's build output");
    }

    private sealed class RepositoryRelativeWriter(Func<TextWriter> target) : TextWriter
    {
        public override System.Text.Encoding Encoding => target().Encoding;

        public override void Write(char value) => target().Write(value);

        public override void Write(string? value) => target().Write(Relative(value));

        public override void WriteLine(string? value) => target().WriteLine(Relative(value));

        public override void Flush() => target().Flush();

        private static string? Relative(string? text) =>
            text?.Replace(RepositoryRoot + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
    }
}
