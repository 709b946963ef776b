namespace Research.Data.Tests;

/// <summary>A private temporary folder for tests that need bad input files; deleted on dispose.</summary>
public sealed class TempFiles : IDisposable
{
    public string Directory { get; } = Directory_Create();

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Directory_Create() => System.IO.Directory.CreateTempSubdirectory("research-data-tests-").FullName;
}
