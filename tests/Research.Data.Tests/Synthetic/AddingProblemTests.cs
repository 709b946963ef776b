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
    public void Same_seed_same_data_other_seed_other_data()
    {
        Assert.Equal(Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs), Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs));
        Assert.NotEqual(Flat(AddingProblem.Arjovsky(8, 50, 3).Inputs), Flat(AddingProblem.Arjovsky(8, 50, 4).Inputs));
    }
}
