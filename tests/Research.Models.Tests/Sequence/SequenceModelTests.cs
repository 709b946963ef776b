using Research.Models.Recurrent;
using Research.Models.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Sequence;

/// <summary>SequenceModel with every cell and backend: shapes, gradients reaching every parameter, the regularisers.</summary>
public sealed class SequenceModelTests
{
    public static TheoryData<RecurrentCellKind, RecurrentBackendKind> CellsAndBackends()
    {
        RecurrentBackendKind[] backends = [RecurrentBackendKind.Auto, RecurrentBackendKind.Readable, RecurrentBackendKind.Torch];
        var data = new TheoryData<RecurrentCellKind, RecurrentBackendKind>();
        foreach (var (cell, backend) in Enum.GetValues<RecurrentCellKind>().SelectMany(cell => backends.Select(backend => (cell, backend))))
            data.Add(cell, backend);
        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndBackends))]
    public void EveryCellRunsForwardAndBackwardOnPianoRolls(RecurrentCellKind cell, RecurrentBackendKind backend)
    {
        manual_seed(8);
        var model = new SequenceModel(new SequenceModelOptions(88, 6, 88, SequenceReadout.EveryStep, Layers: 2, Dropout: 0.1) { Recurrence = new(cell, backend) });
        using var density = 0.1.ToScalar();
        var x = rand([7, 3, 88]).lt(density).to(ScalarType.Float32);
        var output = model.call(x);
        Assert.Equal([7L, 3L, 88L], output.shape);
        nn.functional.binary_cross_entropy_with_logits(output, x).backward();
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, $"{cell}/{backend}: {p.name}"));
    }

    [Fact]
    public void WeightDropActsInTrainingOnlyForTheExplicitGru()
    {
        manual_seed(9);
        var model = new SequenceModel(new SequenceModelOptions(4, 5, 2, SequenceReadout.LastStep) { Recurrence = new(RecurrentCellKind.Gru, WeightDrop: 0.5) });
        var x = randn([6, 3, 4]);
        Assert.False(model.call(x).allclose(model.call(x), rtol: 0, atol: 0));
        model.eval();
        Assert.True(model.call(x).allclose(model.call(x), rtol: 0, atol: 0));
    }
}
