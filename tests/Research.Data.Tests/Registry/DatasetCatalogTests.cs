using Research.Data.Registry;

namespace Research.Data.Tests.Registry;

/// <summary>Every dataset of the shared mirror verifies: files, sha256 and the exact published statistics.</summary>
public sealed class DatasetCatalogTests
{
    public static TheoryData<string> Names() => new(DatasetCatalog.All.Select(d => d.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void TheSharedMirrorVerifies(string name)
    {
        var spec = DatasetCatalog.Get(name);
        var result = DatasetVerifier.Verify(spec, SharedData.Path(name));
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.NotEmpty(spec.Statistics);
    }

    [Fact]
    public void AWrongChecksumIsReportedWithThePath()
    {
        var dir = Directory.CreateTempSubdirectory("research-verify").FullName;
        File.WriteAllText(Path.Combine(dir, "input.txt"), "not shakespeare");
        var result = DatasetVerifier.Verify(DatasetCatalog.Get("tinyshakespeare"), dir);
        Assert.False(result.ChecksumsOk);
        Assert.Contains(result.Problems, p => p.Contains("input.txt: sha256", StringComparison.Ordinal));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void AnUnknownNameSaysWhichExist()
    {
        var e = Assert.Throws<DataException>(() => DatasetCatalog.Get("ptb2"));
        Assert.Contains("known: ptb, wikitext-2", e.Message, StringComparison.Ordinal);
    }
}
