using Research.Data.Text;

namespace Research.Data.Tests.Text;

public sealed class TextSplitFilesTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void The_pytorch_examples_and_wikitext_layouts_are_found()
    {
        foreach (var name in new[] { "train.txt", "valid.txt", "test.txt" })
            files.Write(name, "a b\n");
        Assert.Equal(new TextSplitFiles("train.txt", "valid.txt", "test.txt"), TextSplitFiles.Find(files.Directory));
        Assert.Equal(new TextSplitFiles("wiki.train.tokens", "wiki.valid.tokens", "wiki.test.tokens"), TextSplitFiles.Find(SharedData.Path("wikitext-2")));
    }

    [Fact]
    public void An_incomplete_folder_says_what_was_looked_for_and_what_is_there()
    {
        files.Write("train.txt", "a\n");
        files.Write("dev.txt", "a\n");
        var e = Assert.Throws<DataException>(() => TextSplitFiles.Find(files.Directory));
        Assert.Contains("no train/valid/test files found (looked for train.txt, valid.txt, test.txt; wiki.train.tokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("the folder holds dev.txt, train.txt); name them with train_file, valid_file and test_file", e.Message, StringComparison.Ordinal);
    }
}
