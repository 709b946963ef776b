using Research.Data.Text;

namespace Research.Data.Tests.Text;

public class TextFileTests
{
    [Fact]
    public void Missing_file_names_the_path()
    {
        using var temp = new TempFiles();
        var path = temp.Path("absent.txt");
        var e = Assert.Throws<DataException>(() => TextFile.ReadAll(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Empty_file_and_bom_only_file_are_rejected()
    {
        using var temp = new TempFiles();
        var empty = temp.Write("empty.txt", []);
        var bom = temp.Write("bom.txt", [0xEF, 0xBB, 0xBF]);
        Assert.Contains(empty, Assert.Throws<DataException>(() => TextFile.ReadAll(empty)).Message);
        Assert.Contains(bom, Assert.Throws<DataException>(() => TextFile.ReadAll(bom)).Message);
    }

    [Fact]
    public void Invalid_utf8_names_file_line_and_byte_offset()
    {
        using var temp = new TempFiles();
        // "ok\nné" in Latin-1: 0xE9 is not valid UTF-8 here; it is byte 4, on line 2.
        var path = temp.Write("latin1.txt", [(byte)'o', (byte)'k', (byte)'\n', (byte)'n', 0xE9, (byte)'\n']);
        var e = Assert.Throws<DataException>(() => TextFile.ReadAll(path));
        Assert.StartsWith($"{path}:2: ", e.Message);
        Assert.Contains("byte offset 4", e.Message);
    }

    [Fact]
    public void Word_corpus_loader_reports_bad_split_files()
    {
        using var temp = new TempFiles();
        var train = temp.Write("train.txt", "a b\n");
        var valid = temp.Write("valid.txt", []);
        var e = Assert.Throws<DataException>(() => TokenCorpus.Load(train, valid, temp.Path("test.txt")));
        Assert.Contains(valid, e.Message);
    }

    [Fact]
    public void Bom_is_skipped_and_utf8_decoded()
    {
        using var temp = new TempFiles();
        var path = temp.Write("bom.txt", [0xEF, 0xBB, 0xBF, .. "Senjō\n"u8]);
        Assert.Equal("Senjō\n", TextFile.ReadAll(path));
    }
}
