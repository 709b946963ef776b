using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class SeriesFrequencyTests
{
    [Theory]
    [InlineData("1d", "1 d")]
    [InlineData("D", "1 d")]
    [InlineData("15min", "15 min")]
    [InlineData("h", "1 h")]
    [InlineData("2w", "14 d")]
    [InlineData("1month", "1 month")]
    [InlineData("MS", "1 month")]
    [InlineData("q", "3 months")]
    [InlineData("1y", "1 year(s)")]
    public void Steps_read_as_configs_write_them(string text, string shown) =>
        Assert.Equal(shown, SeriesFrequency.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("0d")]
    [InlineData("daily")]
    [InlineData("1 fortnight")]
    public void Anything_else_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => SeriesFrequency.Parse(text));
}
