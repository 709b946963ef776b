using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

public sealed class QuartilesTests
{
    [Fact]
    public void QuartilesInterpolateBetweenTheSortedValuesAsNumPyDoes()
    {
        // numpy.percentile([1, 2, 3, 4, 5], [25, 75]) = [2, 4]; of [1, 2, 3, 4], [1.75, 3.25].
        Assert.Equal((2.0, 4.0), Quartiles.Of([5.0, 1.0, 4.0, 2.0, 3.0]));
        Assert.Equal((1.75, 3.25), Quartiles.Of([4.0, 1.0, 3.0, 2.0]));
        Assert.Equal((7.0, 7.0), Quartiles.Of([7.0]));
        Assert.Throws<ArgumentException>(() => Quartiles.Of([]));
    }
}
