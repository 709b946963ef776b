using Research.Models.Language;
using Research.Models.Tests.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Language;

/// <summary>
/// The fused softmax cross-entropy against libtorch's nn.functional.cross_entropy: the loss (mean and sum) and the
/// gradient within float32 rounding, at each kernel width, over vocabularies below, at and past a vector's lanes and
/// a word-level 10,000; saturated rows; NaN rows; bad targets refused; and libtorch's own loss wherever the kernel does
/// not apply.
/// </summary>
public sealed class SoftmaxCrossEntropyTests
{
    // (rows, classes) at each width, with reduction mean and sum.
    public static TheoryData<int, int, int, bool> Shapes() =>
        KernelWidth.EveryWidthAndFlag((1, 1), (3, 5), (7, 8), (5, 16), (9, 17), (4, 33), (13, 65), (700, 10000), (2, 10007));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LossAndGradientEqualLibtorchs(int width, int rows, int classes, bool sum) => KernelWidth.At(width, () =>
    {
        manual_seed(rows * 1000 + classes);
        using var three = 3.ToScalar();
        var logits = randn([rows, classes]).mul_(three);
        var targets = randint(classes, [rows], dtype: ScalarType.Int64);
        AssertMatches(logits, targets, sum, $"{width} bits, [{rows}, {classes}], {(sum ? "sum" : "mean")}");
    });

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void SaturatedRowsMatch(int width) => KernelWidth.At(width, () =>
    {
        // Logits a thousand apart: softmax is one-hot to float32, e^(z − m) reaches the exp's lower clamp.
        manual_seed(5);
        using var thousand = 1000.ToScalar();
        var logits = randn([40, 300]).mul_(thousand);
        var targets = randint(300, [40], dtype: ScalarType.Int64);
        AssertMatches(logits, targets, sum: false, $"{width} bits, logits scaled by 1000");
    });

    [Fact]
    public void TheGradientFlowsBackThroughTheProductThatMadeTheLogits()
    {
        manual_seed(2);
        var weight = randn([64, 50]).requires_grad_();
        var hidden = randn([30, 64]);
        var targets = randint(50, [30], dtype: ScalarType.Int64);
        SoftmaxCrossEntropy.Loss(hidden.mm(weight), targets).backward();
        var fused = weight.grad!.clone();
        weight.grad!.zero_();
        nn.functional.cross_entropy(hidden.mm(weight), targets).backward();
        AssertClose(weight.grad!, fused, "dW");
    }

    [Fact]
    public void ARowWithNaNOrInfinityGivesNaNAsLibtorchDoes()
    {
        var logits = randn([3, 20]);
        logits[1, 4] = tensor(float.NaN);
        logits[2, 7] = tensor(float.PositiveInfinity);
        var targets = tensor(new long[] { 0, 1, 2 });
        Assert.True(float.IsNaN(SoftmaxCrossEntropy.Loss(logits, targets).item<float>()));
        Assert.True(float.IsNaN(nn.functional.cross_entropy(logits, targets).item<float>()));
        using var row0 = SoftmaxCrossEntropy.Loss(logits.narrow(0, 0, 1), targets.narrow(0, 0, 1));
        Assert.True(float.IsFinite(row0.item<float>()));
    }

    [Fact]
    public void ATargetOutsideTheVocabularyIsRefusedNamingItsRow()
    {
        var logits = randn([4, 10], requires_grad: true);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Loss(logits, tensor(new long[] { 0, 3, 10, 1 })));
        Assert.Contains("target 10 at row 2 is out of bounds for 10 classes", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Loss(logits, tensor(new long[] { 0, -1, 2, 1 })));
    }

    [Fact]
    public void WhereTheKernelDoesNotApplyTheLossIsLibtorchsExactly()
    {
        manual_seed(3);
        var logits64 = randn([6, 9], dtype: ScalarType.Float64);
        var targets = randint(9, [6], dtype: ScalarType.Int64);
        Assert.False(SoftmaxCrossEntropy.AppliesTo(logits64));
        Assert.Equal(nn.functional.cross_entropy(logits64, targets).item<double>(), SoftmaxCrossEntropy.Loss(logits64, targets).item<double>());
        var logits = randn([6, 9]);
        Assert.True(SoftmaxCrossEntropy.AppliesTo(logits));
        Assert.Equal(nn.functional.cross_entropy(logits, targets).item<float>(), SoftmaxCrossEntropy.Loss(logits, targets, fused: false).item<float>());
        var perRow = SoftmaxCrossEntropy.Loss(logits, targets, nn.Reduction.None);
        Assert.Equal([6L], perRow.shape);
    }

    [Fact]
    public void NonContiguousLogitsAreRead()
    {
        manual_seed(4);
        var logits = randn([12, 7]).t(); // [7, 12] with strides (1, 7)
        var targets = randint(12, [7], dtype: ScalarType.Int64);
        AssertMatches(logits, targets, sum: true, "transposed logits");
    }

    private static void AssertMatches(Tensor logits, Tensor targets, bool sum, string what)
    {
        var reduction = sum ? nn.Reduction.Sum : nn.Reduction.Mean;
        var fusedInput = logits.detach().clone().requires_grad_();
        var torchInput = logits.detach().clone().requires_grad_();
        var fused = SoftmaxCrossEntropy.Loss(fusedInput, targets, reduction);
        var reference = nn.functional.cross_entropy(torchInput, targets, reduction: reduction);
        fused.backward();
        reference.backward();
        var (ours, theirs) = (fused.item<float>(), reference.item<float>());
        Assert.True(Math.Abs(ours - theirs) <= 1e-5 * Math.Max(1, Math.Abs(theirs)), $"{what}: loss {ours} vs {theirs}");
        AssertClose(torchInput.grad!, fusedInput.grad!, what);
    }

    // Within float32 rounding of the largest gradient entry.
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-30f);
        var error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= 1e-5 * scale, $"{what}: gradient differs by {error:E2} of {scale:E2}");
    }
}
