using Research.Experiments.Config;

namespace Research.Experiments.Tests.Config;

public sealed class SnakeCaseTests
{
    [Theory]
    [InlineData("BatchSize", "batch_size")]
    [InlineData("ReduceOnPlateau", "reduce_on_plateau")]
    [InlineData("Lr", "lr")]
    [InlineData("Beta2", "beta2")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("LSTM", "lstm")]
    [InlineData("already_snake", "already_snake")]
    public void PascalCaseToSnakeCase(string name, string key) => Assert.Equal(key, SnakeCase.From(name));

    [Fact]
    public void DottedPathsConvertEachSegment() => Assert.Equal("model.embedding_size", SnakeCase.FromPath("Model.EmbeddingSize"));
}
