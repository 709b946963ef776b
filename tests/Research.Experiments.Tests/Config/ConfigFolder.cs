namespace Research.Experiments.Tests.Config;

/// <summary>A temporary folder of YAML files for one test, deleted afterwards.</summary>
public sealed class ConfigFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("config-tests-").FullName;

    /// <summary>Writes <paramref name="lines"/> (joined with newlines) to a file and returns its absolute path.</summary>
    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
