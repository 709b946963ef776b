using Research.Data.Registry;
using Research.Data.Sources;

namespace Research.Data.Tests.Sources;

public sealed class DataSourceTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_path_is_data_of_ones_own_named_after_the_file_or_as_given()
    {
        var path = files.Write("my-corpus.txt", "text\n");
        Assert.Equal(new OwnData("my-corpus", path), DataSource.Resolve("", path, DatasetRegistry.BuiltIn));
        Assert.Equal(new OwnData("poems", path), DataSource.Resolve("poems", path, DatasetRegistry.BuiltIn));
        var folder = DataSource.Resolve(null, files.Directory + "/", DatasetRegistry.BuiltIn);
        Assert.Equal(Path.GetFileName(files.Directory), folder.Name);
        Assert.True(((OwnData)folder).IsFolder);
    }

    [Fact]
    public void Names_are_generators_or_registered_datasets()
    {
        Assert.Equal(new GeneratedData(Generator.Markov), DataSource.Resolve("markov", null, DatasetRegistry.BuiltIn));
        Assert.Equal("sine", DataSource.Resolve("sine", null, DatasetRegistry.BuiltIn).Name);
        Assert.Equal(DatasetCatalog.Get("ptb"), ((RegisteredData)DataSource.Resolve("ptb", null, DatasetRegistry.BuiltIn)).Spec);
    }

    [Fact]
    public void Own_data_cannot_take_a_registered_name_nor_a_missing_path()
    {
        var path = files.Write("input.txt", "text\n");
        var e = Assert.Throws<DataException>(() => DataSource.Resolve("tinyshakespeare", path, DatasetRegistry.BuiltIn));
        Assert.Equal($"{path}: data.name 'tinyshakespeare' is a registered dataset; name data of your own something else (or leave data.name out to use the file's name)", e.Message);
        e = Assert.Throws<DataException>(() => DataSource.Resolve(null, files.Path("absent.csv"), DatasetRegistry.BuiltIn));
        Assert.StartsWith($"{files.Path("absent.csv")}: no such file or folder", e.Message);
    }

    [Fact]
    public void An_unknown_name_suggests_one_and_points_to_data_path()
    {
        var e = Assert.Throws<DataException>(() => DataSource.Resolve("mytext", null, DatasetRegistry.BuiltIn));
        Assert.StartsWith("unknown dataset 'mytext' (registered: ptb, wikitext-2, tinyshakespeare", e.Message);
        Assert.EndsWith("generators: markov, adding, copying, sine); for a file or folder of your own set data.path", e.Message);
        e = Assert.Throws<DataException>(() => DataSource.Resolve("wikitext2", null, DatasetRegistry.BuiltIn));
        Assert.StartsWith("unknown dataset 'wikitext2'; did you mean 'wikitext-2'?", e.Message);
        Assert.Throws<DataException>(() => DataSource.Resolve("", null, DatasetRegistry.BuiltIn));
    }

    [Fact]
    public void A_lab_entry_joins_the_registry_but_cannot_reuse_a_built_in_name()
    {
        var entry = new DatasetSpec("lab-sensors", "sensors", "lab", [new DatasetFile("s.csv", null, new string('0', 64), 10)], []);
        var registry = new DatasetRegistry([entry], "lab.yaml");
        Assert.Equal(entry, registry.Get("lab-sensors"));
        Assert.Equal(DatasetCatalog.All.Count + 1, registry.All.Count);
        var e = Assert.Throws<DataException>(() => new DatasetRegistry([entry with { Name = "ett" }], "lab.yaml"));
        Assert.Equal("lab.yaml: dataset 'ett' is already a built-in dataset; give the lab's entry another name", e.Message);
    }
}
