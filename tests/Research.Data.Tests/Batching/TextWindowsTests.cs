using Research.Data.Batching;
using Research.Data.Text;
using TorchSharp;

namespace Research.Data.Tests.Batching;

public class TextWindowsTests
{
    [Fact]
    public void Windows_follow_keras_range_and_next_char_target()
    {
        // Keras: for i in range(0, len(text) - maxlen, step) -> 0, 3, 6 for 10 symbols, maxlen 3.
        var windows = new TextWindows([0, 1, 2, 3, 4, 0, 1, 2, 3, 4], maxLength: 3, step: 3, symbolCount: 5);
        Assert.Equal(3, windows.Count);
        Assert.Equal([0L, 1, 2, 3, 4, 0, 1, 2, 3], windows.Inputs.reshape(-1).data<long>().ToArray());
        Assert.Equal([3L, 1, 4], windows.Targets.data<long>().ToArray());
    }

    [Fact]
    public void Keras_setup_on_tiny_shakespeare()
    {
        var text = CharCorpus.FromFile(SharedData.Path("tinyshakespeare", "input.txt"), trainFraction: 1, validFraction: 0, lowerCase: true);
        var windows = new TextWindows(text.Train.Ids, maxLength: 40, step: 3, symbolCount: text.Vocabulary.Count);
        Assert.Equal(39, text.Vocabulary.Count);                 // 65 symbols less the 26 capitals
        Assert.Equal(371_785, windows.Count);                     // len(range(0, 1,115,394 - 40, 3))
        Assert.Equal([371_785L, 40L], windows.Inputs.shape);
        Assert.Equal(text.Train.Ids[^2], windows.Targets[^1].item<long>()); // last window: 1,115,352 + 40 = n - 2
    }

    [Fact]
    public void One_hot_batches_cover_every_window_once()
    {
        var stream = Enumerable.Range(0, 50).Select(i => i % 7).ToArray();
        var windows = new TextWindows(stream, maxLength: 5, step: 2, symbolCount: 7);
        Assert.Equal(23, windows.Count); // ceil((50 - 5) / 2)
        var seen = new List<long>();
        foreach (var (x, y) in windows.OneHotBatches(batchSize: 10, shuffleSeed: 3))
        {
            using (x)
            using (y)
            {
                Assert.Equal(torch.ScalarType.Float32, x.dtype);
                Assert.Equal([y.shape[0], 5L, 7L], x.shape);
                Assert.Equal(x.shape[0] * 5, x.sum().item<float>()); // exactly one hot per position
                // Target = symbol after the window; in this stream (first symbol + 5) mod 7.
                using var first = x[.., 0, ..].argmax(1);
                using var five = 5.ToScalar();
                using var seven = 7.ToScalar();
                using var one = 1.ToScalar(); // add's alpha, as add(Scalar) passes it
                Assert.Equal(first.add(five, one).remainder(seven).data<long>().ToArray(), y.data<long>().ToArray());
                seen.AddRange(y.data<long>().ToArray());
            }
        }
        seen.Sort();
        var all = windows.Targets.data<long>().ToArray();
        Array.Sort(all);
        Assert.Equal(all, seen);
    }

    [Fact]
    public void Index_batches_are_the_one_hot_batches_as_ids_with_the_next_symbol_as_target()
    {
        var stream = Enumerable.Range(0, 50).Select(i => (i * 3) % 11).ToArray();
        var windows = new TextWindows(stream, maxLength: 5, step: 2, symbolCount: 11);
        var ids = windows.IndexBatches(batchSize: 6, shuffleSeed: 4).ToList();
        var hot = windows.OneHotBatches(batchSize: 6, shuffleSeed: 4).ToList();
        Assert.Equal(hot.Count, ids.Count);
        foreach (var ((x, y), (oneHot, target)) in ids.Zip(hot))
        {
            Assert.Equal(torch.ScalarType.Int64, x.dtype);
            Assert.Equal([y.shape[0], 5L], x.shape);
            Assert.Equal(oneHot.argmax(2).data<long>().ToArray(), x.data<long>().ToArray());
            Assert.Equal(target.data<long>().ToArray(), y.data<long>().ToArray());
            // The stream is 3i mod 11: the symbol 5 positions after a window's first symbol v is (v + 15) mod 11.
            for (var row = 0; row < x.shape[0]; row++)
                Assert.Equal((x[row, 0].item<long>() + 15) % 11, y[row].item<long>());
        }
    }
}
