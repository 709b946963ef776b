using Research.Data.Synthetic;

namespace Research.Data.Tests.Synthetic;

public class CopyingMemoryTests
{
    [Fact]
    public void Layout_is_symbols_blanks_delimiter_blanks_and_target_copies_at_the_end()
    {
        const int lag = 30;
        var set = CopyingMemory.Generate(count: 16, lag: lag, seed: 5);
        Assert.Equal([16L, lag + 20], set.Inputs.shape);
        var x = set.Inputs.data<long>().ToArray();
        var y = set.Targets.data<long>().ToArray();
        for (var n = 0; n < 16; n++)
        {
            var input = x.AsSpan(n * (lag + 20), lag + 20).ToArray();
            var target = y.AsSpan(n * (lag + 20), lag + 20).ToArray();
            var symbols = input[..10];
            Assert.All(symbols, s => Assert.InRange(s, 1L, 8L));
            Assert.All(input[10..(lag + 9)], s => Assert.Equal(0L, s)); // T - 1 blanks
            Assert.Equal(9L, input[lag + 9]);                           // delimiter
            Assert.All(input[(lag + 10)..], s => Assert.Equal(0L, s));  // 10 blanks
            Assert.All(target[..(lag + 10)], s => Assert.Equal(0L, s));
            Assert.Equal(symbols, target[(lag + 10)..]);
        }
    }

    [Fact]
    public void The_memoryless_baseline_is_the_cross_entropy_of_blanks_then_uniform_guesses_on_the_data()
    {
        const int lag = 30;
        var y = CopyingMemory.Generate(count: 16, lag: lag, seed: 5).Targets.data<long>().ToArray();
        // The strategy: the blank with probability 1 for the first T + 10 steps, then 1/8 for each of the 8 symbols.
        double Loss(long target, int step) => step < lag + 10
            ? (target == CopyingMemory.Blank ? 0 : double.PositiveInfinity)
            : (target is >= 1 and <= CopyingMemory.AlphabetSize ? Math.Log(CopyingMemory.AlphabetSize) : double.PositiveInfinity);
        var perStep = y.Select((target, k) => Loss(target, k % (lag + 20))).Average();
        Assert.Equal(perStep, CopyingMemory.MemorylessBaseline(lag), 12);
    }

    [Fact]
    public void Seeded()
    {
        long[] Data(int seed) => CopyingMemory.Generate(4, 10, seed).Inputs.data<long>().ToArray();
        Assert.Equal(Data(1), Data(1));
        Assert.NotEqual(Data(1), Data(2));
        // Pinned: the data for a seed must not change between machines or .NET versions.
        Assert.Equal([6L, 7, 7, 5, 2, 5, 8, 4, 8, 3], Data(0)[..10]);
    }
}
