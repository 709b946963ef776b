using Research.Experiments.Benchmarks;

namespace Research.Experiments.Tests.Benchmarks;

public sealed class TurnOrderTests
{
    private static List<int> Order(int count, int round)
    {
        var order = new List<int>();
        TurnOrder.Run(count, round, i => { order.Add(i); return i; });
        return order;
    }

    [Fact]
    public void RoundsStartAtTheNextImplementationGoingUpThenDown()
    {
        Assert.Equal([0, 1, 2], Order(3, 0));
        Assert.Equal([1, 2, 0], Order(3, 1));
        Assert.Equal([2, 0, 1], Order(3, 2));
        Assert.Equal([0, 2, 1], Order(3, 3));
        Assert.Equal([1, 0, 2], Order(3, 4));
        Assert.Equal([2, 1, 0], Order(3, 5));
        Assert.Equal([0, 1, 2], Order(3, 6));
        Assert.Equal([0], Order(1, 7));
    }

    [Fact]
    public void ResultsComeBackInImplementationOrder() =>
        Assert.Equal(["a0", "a1", "a2"], TurnOrder.Run(3, 1, i => $"a{i}"));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void EachTakesEveryPositionInEachCycleOfNRoundsAndFollowsBothNeighboursOverTwo(int count)
    {
        var orders = Enumerable.Range(0, 4 * count).Select(r => Order(count, r)).ToList();
        Assert.All(orders, o => Assert.Equal(Enumerable.Range(0, count), o.Order()));
        for (var i = 0; i < count; i++)
        {
            for (var first = 0; first < orders.Count; first += count)
                Assert.Equal(Enumerable.Range(0, count), orders.Skip(first).Take(count).Select(o => o.IndexOf(i)).Order());
            var previous = orders.Take(2 * count).Where(o => o.IndexOf(i) > 0).Select(o => o[o.IndexOf(i) - 1]).ToHashSet();
            Assert.Equal(count > 2 ? 2 : 1, previous.Count);
        }
    }
}
