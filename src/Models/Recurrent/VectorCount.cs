namespace Research.Models.Recurrent;

/// <summary>
/// The number of vectors per row a block of <see cref="LstmStepLoops{TVec}"/>'s backward product takes, as a struct type
/// argument: 3 for every block but a hidden size's tail, which takes only the vectors its units fill (hidden 200 at 16
/// lanes: 4 blocks of 3 and a tail of 1), so a compiled copy keeps only its vectors' statements.
/// </summary>
internal interface IVectorCount
{
    static abstract int Count { get; }
}

internal readonly struct OneVector : IVectorCount
{
    public static int Count => 1;
}

internal readonly struct TwoVectors : IVectorCount
{
    public static int Count => 2;
}

internal readonly struct ThreeVectors : IVectorCount
{
    public static int Count => 3;
}
