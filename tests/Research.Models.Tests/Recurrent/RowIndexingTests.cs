using Research.Models.Recurrent;
using Research.Models.Runtime;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// <see cref="RowIndexing.SumByIndex"/> against libtorch's <c>index_add_</c> into zeros, bit for bit (signs of zero
/// included): row widths around the vector lengths, one and two threads' shares, rows picked many times or never,
/// at each vector width forced in turn; other dtypes run index_add_ itself; an index outside the rows is refused.
/// </summary>
public sealed class RowIndexingTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (var width in new[] { 256, 512 })
        {
            // (positions, rows, width): 400 × 800 is PTB small's first layer (two threads' shares); 7 rows for 5
            // positions leave rows unpicked; widths below, at and past a vector of 8 and 16, with tails.
            foreach (var (positions, rows, columns) in new[] { (1, 1, 1), (5, 7, 7), (13, 4, 16), (40, 9, 17), (64, 3, 33), (400, 233, 800), (400, 250, 801) })
                data.Add(width, positions, rows, columns);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SumsEqualIndexAddBitForBit(int width, int positions, int rowCount, int columns) => KernelWidth.At(width, () =>
    {
        manual_seed(positions + rowCount + columns);
        var source = randn([positions, columns]);
        // The other positions pick rows below U − 2, so (from 3 rows on) U − 2 is never picked and U − 1 only by the
        // first position, whose values are negative zeros: index_add_ into zeros gives +0 there (0 + (−0)), as must the sums.
        var index = randint(Math.Max(1, rowCount - 2), [positions], dtype: ScalarType.Int64);
        index[0] = tensor(rowCount - 1L);
        source[0] = zeros([columns]).neg();
        var expected = zeros([rowCount, columns]).index_add_(0, index, source, HeldScalars.One);
        var sums = RowIndexing.SumByIndex(source, index, rowCount);
        Assert.Equal(expected.shape, sums.shape);
        Assert.True(Same(sums, expected),
            $"{width} bits, {positions} positions onto {rowCount} rows of {columns}: the sums differ from index_add_'s");
    });

    [Fact]
    public void ANonContiguousSourceAndIndexGiveTheSameSums()
    {
        manual_seed(5);
        var source = randn([24, 40]).t();
        var index = randint(6, [80], dtype: ScalarType.Int64).narrow(0, 0, 80).view(40, 2).t()[0];
        var expected = zeros([6, 24]).index_add_(0, index, source, HeldScalars.One);
        Assert.True(Same(RowIndexing.SumByIndex(source, index, 6), expected));
    }

    [Fact]
    public void OtherDtypesRunIndexAdd()
    {
        manual_seed(7);
        var source = randn([30, 9], dtype: ScalarType.Float64);
        var index = randint(4, [30], dtype: ScalarType.Int64);
        Assert.True(Same(RowIndexing.SumByIndex(source, index, 5), zeros([5, 9], dtype: ScalarType.Float64).index_add_(0, index, source, HeldScalars.One)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void AnIndexOutsideTheRowsIsRefused(long bad)
    {
        var index = tensor(new long[] { 0, 2, bad, 1 });
        var error = Assert.Throws<ArgumentException>(() => RowIndexing.SumByIndex(randn([4, 20]), index, 5));
        Assert.Equal($"row index {bad} at position 2 is outside the 5 rows", error.Message);
    }

    // Equal values with equal signs (eq alone takes −0 for +0); no NaN here.
    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>() && a.signbit().eq(b.signbit()).all().item<bool>();
}
