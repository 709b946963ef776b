using System.Diagnostics;

namespace Research.Experiments.Sweeps;

/// <summary>
/// How to start this same `research` tool in another process: the dotnet host and the research.dll this process
/// loaded (not a rebuild), so a local worker or a Slurm task runs exactly the code that expanded the sweep.
/// </summary>
public static class ResearchProcess
{
    /// <summary>research.dll: the assembly holding this type, wherever it was loaded from (bin/ or beside the tests).</summary>
    public static string Dll { get; } = Path.GetFullPath(typeof(ResearchProcess).Assembly.Location);

    /// <summary>The dotnet host running us when it is one (its full path, for Slurm nodes), else the first on PATH.</summary>
    public static string DotnetHost { get; } = FindDotnet();

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return info;
    }

    private static string FindDotnet()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"))
            .FirstOrDefault(File.Exists);
        return onPath is null ? "dotnet" : Path.GetFullPath(onPath);
    }
}
