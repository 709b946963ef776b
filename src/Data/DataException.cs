namespace Research.Data;

/// <summary>
/// Bad or missing input data: a one-line message that names the file (and line or column where there is one).
/// The command line prints it and exits 2; nothing half-written is left behind by the code that throws it.
/// </summary>
public sealed class DataException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static DataException At(string path, long line, string problem) => new($"{path}:{line}: {problem}");

    public static DataException In(string path, string problem) => new($"{path}: {problem}");
}
