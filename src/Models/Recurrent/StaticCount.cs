namespace Research.Models.Recurrent;

/// <summary>
/// A small count as a struct type argument of <see cref="LstmStepLoops{TVec}"/>'s group loops: the batch rows of a row
/// group (1 to 5; up to 20 in a streamed pass, forward or backward) and the vectors per row of a backward block (3,
/// fewer in a hidden size's tail block). It is a constant in each compiled copy, so a copy keeps only the statements of
/// its rows and vectors.
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

// The rows of a streamed pass's larger groups (6 to 20), forward and backward. One struct each: a count summed through
// generic arguments is not a constant to the JIT, which then calls it and keeps a branch around every row's FMA.
internal readonly struct Six : ICount
{
    public static int Count => 6;
}

internal readonly struct Seven : ICount
{
    public static int Count => 7;
}

internal readonly struct Eight : ICount
{
    public static int Count => 8;
}

internal readonly struct Nine : ICount
{
    public static int Count => 9;
}

internal readonly struct Ten : ICount
{
    public static int Count => 10;
}

internal readonly struct Eleven : ICount
{
    public static int Count => 11;
}

internal readonly struct Twelve : ICount
{
    public static int Count => 12;
}

internal readonly struct Thirteen : ICount
{
    public static int Count => 13;
}

internal readonly struct Fourteen : ICount
{
    public static int Count => 14;
}

internal readonly struct Fifteen : ICount
{
    public static int Count => 15;
}

internal readonly struct Sixteen : ICount
{
    public static int Count => 16;
}

internal readonly struct Seventeen : ICount
{
    public static int Count => 17;
}

internal readonly struct Eighteen : ICount
{
    public static int Count => 18;
}

internal readonly struct Nineteen : ICount
{
    public static int Count => 19;
}

internal readonly struct Twenty : ICount
{
    public static int Count => 20;
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
