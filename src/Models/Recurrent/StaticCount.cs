namespace Research.Models.Recurrent;

/// <summary>
/// A small count as a struct type argument of <see cref="LstmStepLoops{TVec}"/>'s group loops: the batch rows of a row
/// group (1 to 5) and the vectors per row of a backward block (3, fewer in a hidden size's tail block). It is a constant
/// in each compiled copy, so a copy keeps only the statements of its rows and vectors.
/// </summary>
internal interface ICount
{
    static abstract int Count { get; }
}

internal readonly struct One : ICount
{
    public static int Count => 1;
}

internal readonly struct Two : ICount
{
    public static int Count => 2;
}

internal readonly struct Three : ICount
{
    public static int Count => 3;
}

internal readonly struct Four : ICount
{
    public static int Count => 4;
}

internal readonly struct Five : ICount
{
    public static int Count => 5;
}

/// <summary>
/// Whether a backward row group loads its block's last weight vector masked: W_hh's rows read in place end at H, where
/// the packed panels hold zeros. A type argument, so each compiled copy keeps one kind of load.
/// </summary>
internal interface ILastVector
{
    static abstract bool IsMasked { get; }
}

internal readonly struct WholeLast : ILastVector
{
    public static bool IsMasked => false;
}

internal readonly struct MaskedLast : ILastVector
{
    public static bool IsMasked => true;
}
