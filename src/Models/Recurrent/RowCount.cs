namespace Research.Models.Recurrent;

/// <summary>
/// The number of batch rows a group of <see cref="LstmStepLoops{TVec}"/>'s products takes, as a struct type argument:
/// a constant in each compiled copy of the group loops, so a copy keeps only its own rows' statements.
/// </summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

internal readonly struct OneRow : IRowCount
{
    public static int Count => 1;
}

internal readonly struct TwoRows : IRowCount
{
    public static int Count => 2;
}

internal readonly struct ThreeRows : IRowCount
{
    public static int Count => 3;
}

internal readonly struct FourRows : IRowCount
{
    public static int Count => 4;
}

internal readonly struct FiveRows : IRowCount
{
    public static int Count => 5;
}
