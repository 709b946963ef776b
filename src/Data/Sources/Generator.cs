namespace Research.Data.Sources;

/// <summary>The built-in data generators, each deterministic by the experiment's seed.</summary>
public enum Generator
{
    /// <summary>A random Markov chain over symbols with a known entropy rate (language models).</summary>
    Markov,

    /// <summary>The adding problem (Arjovsky et al. 2016).</summary>
    Adding,

    /// <summary>The copying-memory task (Arjovsky et al. 2016).</summary>
    Copying,

    /// <summary>A noisy sine with hourly time stamps (forecasting).</summary>
    Sine,
}
