using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public static class ConfigError
{
    /// <summary>The message of the <see cref="ConfigException"/> that <paramref name="load"/> throws, checked to be one line.</summary>
    public static string Of(Func<object> load)
    {
        var e = Assert.Throws<ConfigException>(load);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }
}
