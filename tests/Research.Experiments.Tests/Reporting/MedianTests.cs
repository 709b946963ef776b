using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

public sealed class MedianTests
{
    [Fact]
    public void OddCountsTakeTheMiddleAndEvenCountsTheMeanOfTheTwoMiddleValues()
    {
        Assert.Equal(2.0, Median.Of([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, Median.Of([4.0, 1.0, 3.0, 2.0]));
        Assert.Throws<ArgumentException>(() => Median.Of([]));
    }
}
