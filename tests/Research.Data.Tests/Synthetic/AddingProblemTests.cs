using Research.Data.Synthetic;
using TorchSharp;

namespace Research.Data.Tests.Synthetic;

public class AddingProblemTests
{
    private static float[] Flat(torch.Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void Arjovsky_form_has_one_marker_per_half_and_sum_target()
    {
        const int count = 64, length = 21; // odd: halves are [0, 10) and [10, 21)
        var set = AddingProblem.Arjovsky(count, length, seed: 7);
        Assert.Equal([count, length, 2L], set.Inputs.shape);
        Assert.Equal([count, 1L], set.Targets.shape);
        var x = Flat(set.Inputs);
        var y = Flat(set.Targets);
        for (var n = 0; n < count; n++)
        {
            var marked = Enumerable.Range(0, length).Where(t => x[(n * length + t) * 2 + 1] != 0).ToArray();
            Assert.All(marked, t => Assert.Equal(1f, x[(n * length + t) * 2 + 1]));
            Assert.Equal(2, marked.Length);
            Assert.InRange(marked[0], 0, length / 2 - 1);
            Assert.InRange(marked[1], length / 2, length - 1);
            Assert.All(Enumerable.Range(0, length), t => Assert.InRange(x[(n * length + t) * 2], 0f, 1f));
            Assert.Equal(x[(n * length + marked[0]) * 2] + x[(n * length + marked[1]) * 2], y[n], 6);
        }
    }

    [Fact]
    public void Hochreiter_form_has_its_markers_lengths_and_scaled_target()
    {
        const int count = 64, minLength = 100;
        var set = AddingProblem.Hochreiter(count, minLength, seed: 11);
        Assert.Equal([count, 110L, 2L], set.Inputs.shape);
        var x = Flat(set.Inputs);
        var y = Flat(set.Targets);
        for (var n = 0; n < count; n++)
        {
            var length = (int)set.Lengths[n];
            Assert.InRange(length, minLength, minLength + minLength / 10);
            float Value(int t) => x[(n * 110 + t) * 2];
            float Marker(int t) => x[(n * 110 + t) * 2 + 1];
            var ones = Enumerable.Range(0, length).Where(t => Marker(t) == 1).ToArray();
            Assert.Equal(2, ones.Length);
            Assert.InRange(ones[0], 0, 9);
            Assert.InRange(ones[1], 0, minLength / 2 - 1);
            if (ones[0] != 0)
                Assert.Equal(-1f, Marker(0));
            else
                Assert.Equal(0f, Value(0));
            Assert.Equal(-1f, Marker(length - 1));
            Assert.All(Enumerable.Range(1, length - 2).Except(ones), t => Assert.Equal(0f, Marker(t)));
            Assert.All(Enumerable.Range(length, 110 - length), t => Assert.Equal((0f, 0f), (Value(t), Marker(t))));
            Assert.Equal(0.5f + (Value(ones[0]) + Value(ones[1])) / 4f, y[n], 6);
            Assert.InRange(y[n], 0f, 1f);
        }
        Assert.True(set.Lengths.Distinct().Count() > 3);
    }

    [Fact]
    public void Same_seed_same_data_other_seed_other_data()
    {
        Assert.Equal(Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs), Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs));
        Assert.NotEqual(Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs), Flat(AddingProblem.Arjovsky(8, 50, 4).Inputs));
        Assert.Equal(Flat(AddingProblem.Hochreiter(8, 50, 3).Targets), Flat(AddingProblem.Hochreiter(8, 50, 3).Targets));
        Assert.NotEqual(Flat(AddingProblem.Hochreiter(8, 50, 3).Targets), Flat(AddingProblem.Hochreiter(8, 50, 4).Targets));
    }
}
