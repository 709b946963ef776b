namespace Research.Data.Tests.TimeSeries;

/// <summary>Hand-made CSV files in a fresh temporary folder, deleted afterwards; error messages name these paths.</summary>
public sealed class TempCsv : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("research-series-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => Path.Combine(folder, name);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
