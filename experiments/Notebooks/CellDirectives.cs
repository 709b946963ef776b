using System.Text;
using System.Text.RegularExpressions;

namespace Research.Experiments.Notebooks;

/// <summary>A cell's C# after its .NET Interactive directives were handled, and what the runner should say about them.</summary>
public sealed record PreparedCell(string Code, IReadOnlyList<string> Warnings);

/// <summary>A directive the runner cannot honour (an unknown NuGet package, a missing assembly): the cell fails with this.</summary>
public sealed class CellDirectiveException(string message) : Exception(message);

/// <summary>
/// The .NET Interactive directives of a C# cell, handled as its kernel would in this project: `#!csharp` selects the
/// language it already is; other `#!` magics have no meaning without the kernel and are dropped with a warning (a
/// block after `#!fsharp`, `#!pwsh`, ... is skipped); `#r "nuget: P"` of a package the project already references is
/// the assembly already loaded; `#r "file.dll"` of the build output is the assembly already loaded, any other file
/// is loaded from the path relative to the notebook.
/// </summary>
public static partial class CellDirectives
{
    /// <summary>The project's packages, each of which is already referenced by the runner's script options.</summary>
    public static readonly IReadOnlySet<string> ProjectPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "TorchSharp", "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows", "libtorch-cpu-linux-x64",
        "ScottPlot", "Microsoft.Data.Analysis", "YamlDotNet", "Spectre.Console",
    };

    private static readonly HashSet<string> CSharpKernels = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#" };

    // Kernel names of .NET Interactive: after one of these the cell's text belongs to that kernel, not to C#.
    private static readonly HashSet<string> OtherKernels = new(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "sql", "kql", "mermaid",
        "value", "python", "http", "vscode", "browser",
    };

    /// <param name="loadedAssemblyFiles">File names (e.g. "research.dll") of the assemblies the script already references.</param>
    /// <param name="baseDirectory">Where relative `#r` paths start: the notebook's folder, as in VS Code.</param>
    public static PreparedCell Prepare(string source, IReadOnlySet<string> loadedAssemblyFiles, string baseDirectory)
    {
        var code = new StringBuilder();
        var warnings = new List<string>();
        var skipping = false;
        foreach (var rawLine in source.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed[2..].Split(' ', 2)[0];
                if (CSharpKernels.Contains(magic))
                    skipping = false;
                else if (OtherKernels.Contains(magic))
                {
                    skipping = true;
                    warnings.Add($"#!{magic}: only C# runs headless; skipped the {magic} block");
                }
                else
                    warnings.Add($"{trimmed}: a .NET Interactive magic command, ignored by the headless runner");
                code.Append('\n');
                continue;
            }
            if (skipping)
            {
                code.Append('\n');
                continue;
            }
            if (ReferenceDirective().Match(trimmed) is { Success: true } reference)
            {
                code.Append(Reference(reference.Groups["target"].Value, loadedAssemblyFiles, baseDirectory)).Append('\n');
                continue;
            }
            if (trimmed.StartsWith("#i ", StringComparison.Ordinal))
            {
                warnings.Add($"{trimmed}: package sources are not used; the runner has the project's packages only");
                code.Append('\n');
                continue;
            }
            code.Append(line).Append('\n');
        }
        // Blank lines stand in for dropped ones, so compiler line numbers still match the notebook's.
        return new PreparedCell(code.ToString().TrimEnd('\n'), warnings);
    }

    private static string Reference(string target, IReadOnlySet<string> loadedAssemblyFiles, string baseDirectory)
    {
        if (target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            var package = target["nuget:".Length..].Split(',')[0].Trim();
            if (ProjectPackages.Contains(package))
                return "";
            throw new CellDirectiveException(
                $"#r \"{target}\": {package} is not one of the project's packages ({string.Join(", ", ProjectPackages.Order(StringComparer.Ordinal))}); add it to the project first");
        }
        if (loadedAssemblyFiles.Contains(Path.GetFileName(target)))
            return "";
        var path = Path.GetFullPath(Path.Combine(baseDirectory, target));
        if (!File.Exists(path))
            throw new CellDirectiveException($"#r \"{target}\": no such file ({path})");
        return $"#r \"{path}\"";
    }

    [GeneratedRegex("""^#r\s+"(?<target>[^"]+)"\s*$""")]
    private static partial Regex ReferenceDirective();
}
