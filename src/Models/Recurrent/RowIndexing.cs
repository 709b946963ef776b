using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Research.Models.Runtime;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// Row operations of a stack fed distinct rows (<see cref="IndexedSequence"/>). <see cref="SumByIndex"/> sums each
/// position's gradient onto its row: for float32 CPU tensors at the step kernel's width in a C# loop, bit for bit
/// libtorch's <c>index_add_(0, ·)</c> into zeros (the same adds in the same order); everything else runs that op. Why:
/// index_add_ runs a TensorIterator pass per source row, about 0.7 µs each, 0.28 ms for PTB small's 400 positions
/// (docs/step-kernel.md, "Distinct rows picked and summed in C#").
/// </summary>
public static class RowIndexing
{
    // Below this many floats a second thread costs more than it saves.
    private const long FloatsPerThreadAtLeast = 1 << 15;

    /// <summary>Σ over n with index[n] = u of source[n] ([N, width], index [N] int64), for u in [0, <paramref name="rowCount"/>): [rowCount, width].</summary>
    public static Tensor SumByIndex(Tensor source, Tensor index, long rowCount)
    {
        if (!LstmStepKernel.AppliesTo(source) || source.dim() != 2 || index.dim() != 1 || index.dtype != ScalarType.Int64
            || index.device_type != source.device_type || index.shape[0] != source.shape[0])
            return zeros([rowCount, source.shape[1]], dtype: source.dtype, device: source.device).index_add_(0, index, source, HeldScalars.One);
        var result = empty([rowCount, source.shape[1]], dtype: source.dtype, device: source.device);
        using var dense = source.contiguous();
        using var denseIndex = index.contiguous();
        var partitions = (int)Math.Max(1, Math.Min(get_num_threads(), source.numel() / FloatsPerThreadAtLeast));
        if (LstmStepKernel.VectorWidth == 512)
            Loops<Vector512<float>>.Sum(dense, denseIndex, result, partitions);
        else
            Loops<Vector256<float>>.Sum(dense, denseIndex, result, partitions);
        return result;
    }

    /// <summary>A dense int64 index as a pointer, every entry checked to lie in [0, <paramref name="count"/>) first: loops write through it.</summary>
    internal static unsafe long* CheckedIndex(Tensor index, long count)
    {
        var at = (long*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(index.bytes));
        var positions = index.numel();
        for (var n = 0L; n < positions; n++)
        {
            if ((ulong)at[n] >= (ulong)count)
                throw new ArgumentException($"row index {at[n]} at position {n} is outside the {count} rows");
        }
        return at;
    }

    private sealed unsafe class Loops<TVec> : KernelVector<TVec>
        where TVec : struct
    {
        private Loops()
        {
        }

        // Each partition adds a share of the columns of every position, in the positions' order: the adds of index_add_
        // into zeros, a row's first one written as 0 + x (which keeps 0 + (−0) = +0) instead of zeroing the rows first.
        public static void Sum(Tensor source, Tensor index, Tensor result, int partitions)
        {
            var (positions, width, rowCount) = (index.shape[0], source.shape[1], result.shape[0]);
            var (from, to, at) = ((nint)Data(source), (nint)Data(result), (nint)CheckedIndex(index, rowCount));
            var (first, unseen) = FirstOccurrences((long*)at, positions, rowCount);
            var vectors = (width + Lanes - 1) / Lanes;
            OpenMpTeam.Run(partitions, part =>
            {
                var (begin, end) = (vectors * part / partitions * Lanes, Math.Min(width, vectors * (part + 1) / partitions * Lanes));
                var whole = begin + ((end - begin) / Lanes * Lanes);
                var mask = TailMask((int)(end - whole));
                for (var n = 0L; n < positions; n++)
                {
                    var s = (float*)from + (n * width);
                    var d = (float*)to + (((long*)at)[n] * width);
                    var i = begin;
                    if (first[n])
                    {
                        for (; i < whole; i += Lanes)
                            Store(d + i, Add(default, Load(s + i)));
                        if (i < end)
                            Store(d + i, Add(default, Load(s + i, false, mask)), false, mask);
                        continue;
                    }
                    for (; i < whole; i += Lanes)
                        Store(d + i, Add(Load(d + i), Load(s + i)));
                    if (i < end)
                        Store(d + i, Add(Load(d + i, false, mask), Load(s + i, false, mask)), false, mask);
                }
            });
            foreach (var row in unseen)
                result[row].zero_();
        }

        // Which positions are their row's first, and the rows no position picks (they stay zero).
        private static (bool[] First, List<long> Unseen) FirstOccurrences(long* at, long positions, long rowCount)
        {
            var (first, seen) = (new bool[positions], new bool[rowCount]);
            for (var n = 0L; n < positions; n++)
            {
                first[n] = !seen[at[n]];
                seen[at[n]] = true;
            }
            var unseen = new List<long>();
            for (var row = 0L; row < rowCount; row++)
            {
                if (!seen[row])
                    unseen.Add(row);
            }
            return (first, unseen);
        }
    }
}
