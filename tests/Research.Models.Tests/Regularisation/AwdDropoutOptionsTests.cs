using Research.Models.Regularisation;

namespace Research.Models.Tests.Regularisation;

public sealed class AwdDropoutOptionsTests
{
    [Fact]
    public void OffByDefaultAndOutOfRangeRatesAreNamed()
    {
        var off = new AwdDropoutOptions().Validated();
        Assert.Equal(0, off.Embedding + off.Input + off.Hidden + off.Output + off.Weight);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AwdDropoutOptions(Weight: 1.0).Validated());
        Assert.Equal("Weight", e.ParamName);
    }
}
