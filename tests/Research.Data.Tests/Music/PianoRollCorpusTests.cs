using Research.Data.Music;
using TorchSharp;

namespace Research.Data.Tests.Music;

public class PianoRollCorpusTests
{
    [Fact]
    public void Jsb_chorales_split_229_76_77_with_88_keys()
    {
        var corpus = PianoRollCorpus.LoadJson(SharedData.Path("jsb_chorales", "jsb-chorales-quarter.json"));
        Assert.Equal((229, 76, 77), (corpus.Train.Count, corpus.Valid.Count, corpus.Test.Count));
        Assert.All(corpus.Train.Concat(corpus.Valid).Concat(corpus.Test), roll =>
        {
            Assert.Equal(88L, roll.shape[1]);
            Assert.Equal(torch.ScalarType.Float32, roll.dtype);
        });
        // SOURCE.md: 13,807 / 4,602 / 4,725 time steps; at most 4 notes per step.
        Assert.Equal(13_807, corpus.Train.Sum(r => r.shape[0]));
        Assert.Equal(4_602, corpus.Valid.Sum(r => r.shape[0]));
        Assert.Equal(4_725, corpus.Test.Sum(r => r.shape[0]));
        using var perStep = corpus.Train[0].sum([1L]);
        Assert.True(perStep.max().item<float>() <= 4);
        // train[0] starts with notes 60, 72, 79, 88 -> columns 39, 51, 58, 67.
        var first = corpus.Train[0][0].data<float>().ToArray();
        Assert.Equal([39, 51, 58, 67], Enumerable.Range(0, 88).Where(k => first[k] == 1));
    }

    [Fact]
    public void Note_outside_the_piano_is_rejected_with_the_file_named()
    {
        using var temp = new TempFiles();
        var path = temp.Write("bad.json", """{"train": [[[60], [20, 64]]], "valid": [], "test": []}""");
        var e = Assert.Throws<DataException>(() => PianoRollCorpus.LoadJson(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("train[0]: step 1: MIDI note 20", e.Message);
    }

    [Fact]
    public void Empty_steps_are_zero_rows_and_bad_json_is_reported()
    {
        using var roll = PianoRollCorpus.FromSteps([[21, 108], []]);
        Assert.Equal([1f, 1f, 0f], new[] { roll[0, 0].item<float>(), roll[0, 87].item<float>(), roll[1].sum().item<float>() });

        using var temp = new TempFiles();
        var path = temp.Write("broken.json", "{\"train\": [\n[[60]");
        Assert.Contains(path, Assert.Throws<DataException>(() => PianoRollCorpus.LoadJson(path)).Message);
        var missing = temp.Path("none.json");
        Assert.Contains(missing, Assert.Throws<DataException>(() => PianoRollCorpus.LoadJson(missing)).Message);
    }
}
