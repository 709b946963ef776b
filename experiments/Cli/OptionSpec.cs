namespace Research.Experiments.Cli;

/// <summary>One --option a command accepts. Flags take no value; every other option takes exactly one.</summary>
public sealed record OptionSpec(string Name, string Help, string? Default = null, bool IsFlag = false)
{
    public static OptionSpec Flag(string name, string help) => new(name, help, null, IsFlag: true);
}
