namespace Research.Models.Regularisation;

/// <summary>The one range check every dropout-like rate shares: p in [0, 1), since p = 1 would divide by 1 − p = 0.</summary>
public static class DropoutRate
{
    /// <summary>Returns <paramref name="p"/>; throws, naming <paramref name="name"/>, when it is outside [0, 1).</summary>
    public static double Require(double p, string name)
    {
        if (p is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(name, p, $"{name} must be in [0, 1), got {p}.");
        return p;
    }
}
