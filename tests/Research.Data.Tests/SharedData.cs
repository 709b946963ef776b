namespace Research.Data.Tests;

/// <summary>
/// Where the real datasets are: $RESEARCH_DATA_DIR, else ../shared/data beside the repository (as on CI).
/// Tests that need them fail with a clear message rather than skipping, so a missing mirror is never a silent pass.
/// </summary>
public static class SharedData
{
    public static string Root { get; } = Locate();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("RESEARCH_DATA_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
            return System.IO.Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Research.sln")))
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data"));
        }
        throw new InvalidOperationException("cannot find the repository root (Research.sln) to locate ../shared/data; set RESEARCH_DATA_DIR");
    }
}
