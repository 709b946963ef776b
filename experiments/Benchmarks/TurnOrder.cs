namespace Research.Experiments.Benchmarks;

/// <summary>
/// The order in which a benchmark's n implementations take their turns within one round. Round r starts at
/// implementation r mod n and goes up in the first n rounds, down in the next n, and so on: in each such cycle of n
/// rounds every implementation runs once in every position, and over two cycles it runs after both of its neighbours.
/// A fixed order let one position's leftovers land on the same implementation every round: in `bench lm`'s parts table
/// nn.LSTM, always last, read 17.6 ms for the decoder product, the same code as every other core's, against 13.8–14.0 ms
/// (docs/step-kernel.md).
/// </summary>
public static class TurnOrder
{
    /// <summary>The order in a report's words, <paramref name="round"/> naming what this benchmark calls a round.</summary>
    public static string Described(string round) =>
        $"in an order that changes every {round} (each starts at the next in turn, going up for as many {round}s as there are taking turns, then down)";

    /// <summary>Runs <paramref name="run"/> once for each of <paramref name="count"/> implementations in round <paramref name="round"/>'s order; the results come back in implementation order.</summary>
    public static T[] Run<T>(int count, int round, Func<int, T> run)
    {
        var results = new T[count];
        var direction = round / count % 2 == 0 ? 1 : count - 1; // count − 1 ≡ −1 (mod count)
        for (var k = 0; k < count; k++)
        {
            var i = (round + (k * direction)) % count;
            results[i] = run(i);
        }
        return results;
    }
}
