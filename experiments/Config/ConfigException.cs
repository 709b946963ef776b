namespace Research.Experiments.Config;

/// <summary>
/// A config the user wrote wrongly: one line naming where (file:line or the override) and which dotted key.
/// The CLI prints the message without a stack trace and exits with code 2, like a usage error.
/// </summary>
public sealed class ConfigException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
