using Research.Data.Batching;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Tests.Batching;

public class LanguageModelBatchesTests
{
    private static readonly int[] Stream = Enumerable.Range(0, 26).ToArray(); // 0..25

    private static long[,] Values(Tensor t)
    {
        var (rows, cols) = (t.shape[0], t.shape[1]);
        var flat = t.contiguous().data<long>().ToArray();
        var result = new long[rows, cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                result[r, c] = flat[r * cols + c];
        }
        return result;
    }

    [Fact]
    public void Batchify_matches_pytorch_layout_and_drops_the_tail()
    {
        using var batched = LanguageModelBatches.Batchify(Stream, 4);
        Assert.Equal(ScalarType.Int64, batched.dtype);
        // 26 // 4 = 6 steps; 24 and 25 are dropped; column b is the chunk [6b, 6b + 6).
        long[,] expected =
        {
            { 0, 6, 12, 18 },
            { 1, 7, 13, 19 },
            { 2, 8, 14, 20 },
            { 3, 9, 15, 21 },
            { 4, 10, 16, 22 },
            { 5, 11, 17, 23 },
        };
        Assert.Equal(expected, Values(batched));

        // The tensor overload (pytorch's narrow / view / t) gives the same.
        using var zero = 0.ToScalar();
        using var end = 26.ToScalar();
        using var one = 1.ToScalar();
        using var stream = torch.arange(zero, end, one, ScalarType.Int64);
        using var fromTensor = LanguageModelBatches.Batchify(stream, 4);
        Assert.Equal(expected, Values(fromTensor));
    }

    [Fact]
    public void Fixed_windows_match_pytorch_get_batch_including_the_short_last_one()
    {
        using var batched = LanguageModelBatches.Batchify(Stream, 4);
        var windows = LanguageModelBatches.FixedWindows(batched, 3).ToList();
        Assert.Equal(2, windows.Count); // range(0, 6 - 1, 3) = 0, 3

        Assert.Equal((0L, 3L), (windows[0].Start, windows[0].Length));
        Assert.Equal(new long[,] { { 0, 6, 12, 18 }, { 1, 7, 13, 19 }, { 2, 8, 14, 20 } }, Values(windows[0].Input));
        Assert.Equal(new long[,] { { 1, 7, 13, 19 }, { 2, 8, 14, 20 }, { 3, 9, 15, 21 } }, Values(windows[0].Target));

        Assert.Equal((3L, 2L), (windows[1].Start, windows[1].Length)); // min(3, 6 - 1 - 3) = 2
        Assert.Equal(new long[,] { { 3, 9, 15, 21 }, { 4, 10, 16, 22 } }, Values(windows[1].Input));
        Assert.Equal(new long[,] { { 4, 10, 16, 22 }, { 5, 11, 17, 23 } }, Values(windows[1].Target));

        // pytorch/examples' flattened target, target.view(-1):
        Assert.Equal([4L, 10, 16, 22, 5, 11, 17, 23], windows[1].Target.reshape(-1).data<long>().ToArray());
    }
}
