namespace Research.Data;

/// <summary>
/// Draws on a caller-owned <see cref="Random"/>, so each generator's stream depends on its seed alone.
/// <c>new Random(seed)</c> uses .NET's seeded (legacy Knuth subtractive) generator, whose sequence .NET keeps stable for
/// compatibility; the synthetic tests pin a few generated values, so a change would be noticed.
/// </summary>
internal static class RandomDraws
{
    /// <summary>A standard normal by Box–Muller (one draw per call; two uniforms consumed).</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: log(u1) is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Uniform on [low, high).</summary>
    public static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
