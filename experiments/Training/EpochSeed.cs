namespace Research.Experiments.Training;

/// <summary>
/// The seed of an epoch's data order, a pure function of (run seed, epoch): a resumed run shuffles exactly as an
/// uninterrupted one. (HashCode.Combine would not do: .NET randomises it per process.)
/// </summary>
public static class EpochSeed
{
    public static int Of(int seed, int epoch) => unchecked((seed * 1_000_003) + epoch);
}
