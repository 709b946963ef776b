using Research.Models.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Parameter = TorchSharp.Modules.Parameter;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// Each of the project's optimizers against TorchSharp's over 200 steps of <see cref="TinyProblem"/> in float64, from
/// identical weights on identical batches: every parameter within 1e-12 (the maths and the order of operations are the
/// same, so the measured difference is 0), for every option.
/// </summary>
public sealed class OptimizerParityTests(ITestOutputHelper output)
{
    private const int Steps = 200;
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData(0.05, 0.0, 0.0, 0.0, false)]
    [InlineData(0.05, 0.9, 0.0, 0.0, false)]
    [InlineData(0.05, 0.9, 0.3, 0.0, false)]
    [InlineData(0.05, 0.9, 0.0, 0.0, true)]
    [InlineData(0.05, 0.0, 0.0, 0.01, false)]
    [InlineData(0.05, 0.9, 0.1, 0.01, false)]
    [InlineData(0.02, 0.5, 0.0, 0.05, true)]
    public void SgdMatchesTorchSharp(double lr, double momentum, double dampening, double weightDecay, bool nesterov) =>
        AssertParity(
            p => new Sgd(p, lr, momentum, dampening, weightDecay, nesterov),
            p => optim.SGD(p, lr, momentum, dampening, weightDecay, nesterov));

    // lr, beta1, beta2, eps, weight decay: one set of rows for Adam and AdamW, which differ only in where λ acts.
    public static TheoryData<double, double, double, double, double> AdamOptions => new()
    {
        { 1e-3, 0.9, 0.999, 1e-8, 0.0 },
        { 1e-2, 0.9, 0.999, 1e-8, 0.01 },
        { 1e-2, 0.8, 0.95, 1e-8, 0.0 },
        { 1e-2, 0.9, 0.999, 1e-4, 0.0 },
        { 5e-3, 0.85, 0.98, 1e-6, 0.1 },
    };

    [Theory]
    [MemberData(nameof(AdamOptions))]
    public void AdamMatchesTorchSharp(double lr, double beta1, double beta2, double eps, double weightDecay) =>
        AssertParity(
            p => new Adam(p, lr, beta1, beta2, eps, weightDecay),
            p => optim.Adam(p, lr, beta1, beta2, eps, weightDecay));

    [Theory]
    [MemberData(nameof(AdamOptions))]
    public void AdamWMatchesTorchSharp(double lr, double beta1, double beta2, double eps, double weightDecay) =>
        AssertParity(
            p => new AdamW(p, lr, beta1, beta2, eps, weightDecay),
            p => optim.AdamW(p, lr, beta1, beta2, eps, weightDecay));

    [Theory]
    [InlineData(1e-2, 0.99, 1e-8, 0.0, false, 0.0)]
    [InlineData(1e-2, 0.9, 1e-8, 0.0, false, 0.0)]
    [InlineData(1e-3, 0.99, 1e-8, 0.9, false, 0.0)]
    [InlineData(1e-3, 0.99, 1e-8, 0.0, true, 0.0)]
    [InlineData(1e-3, 0.99, 1e-8, 0.9, true, 0.0)]
    [InlineData(1e-2, 0.99, 1e-8, 0.0, false, 0.01)]
    [InlineData(1e-3, 0.95, 1e-6, 0.5, true, 0.05)]
    public void RmsPropMatchesTorchSharp(double lr, double alpha, double eps, double momentum, bool centered, double weightDecay) =>
        AssertParity(
            p => new RmsProp(p, lr, alpha, eps, momentum, centered, weightDecay),
            p => optim.RMSProp(p, lr, alpha, eps, weightDecay, momentum, centered));

    [Fact]
    public void ALearningRateSetBetweenStepsActsLikeTorchSharps()
    {
        var ours = TinyProblem.Create();
        var theirs = ours.Copy();
        using var optimizer = new Sgd(ours.Parameters, 0.1, momentum: 0.9);
        using var reference = optim.SGD(theirs.Parameters, 0.1, momentum: 0.9);
        var batches = TinyProblem.Batches(Steps);
        for (var k = 0; k < 4; k++)
        {
            var part = batches.Skip(k * 50).Take(50).ToList();
            optimizer.LearningRate = 0.1 / (k + 1);
            foreach (var group in reference.ParamGroups)
                group.LearningRate = 0.1 / (k + 1);
            ours.Train(part, optimizer.ZeroGrad, optimizer.Step);
            theirs.Train(part, reference.zero_grad, () => reference.step());
        }
        Assert.Equal(0.0, ours.MaxDifference(theirs));
    }

    [Fact]
    public void StepsLeaveNoTensorsBehind()
    {
        var problem = TinyProblem.Create();
        using var optimizer = new RmsProp(problem.Parameters, momentum: 0.9, centered: true, weightDecay: 0.01);
        var batches = TinyProblem.Batches(40);
        problem.Train(batches.Take(5), optimizer.ZeroGrad, optimizer.Step);
        // This thread's count: Tensor.TotalCount also falls whenever the finaliser frees an earlier test's garbage.
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var before = statistics.ThreadTotalLiveCount;
        problem.Train(batches.Skip(5), optimizer.ZeroGrad, optimizer.Step);
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }

    private void AssertParity(Func<IEnumerable<Parameter>, Research.Models.Optimization.Optimizer> ours, Func<IEnumerable<Parameter>, OptimizerHelper> theirs)
    {
        var a = TinyProblem.Create();
        var b = a.Copy();
        Assert.Equal(0.0, a.MaxDifference(b));
        using var optimizer = ours(a.Parameters);
        using var reference = theirs(b.Parameters);
        var batches = TinyProblem.Batches(Steps);
        a.Train(batches, optimizer.ZeroGrad, optimizer.Step);
        b.Train(batches, reference.zero_grad, () => reference.step());
        var difference = a.MaxDifference(b);
        var moved = a.Parameters.Zip(TinyProblem.Create().Parameters, (p, q) => (p - q).abs().max().item<double>()).Max();
        output.WriteLine($"{optimizer.GetType().Name}: max |ours − TorchSharp| = {difference:G3} after {Steps} steps (parameters moved up to {moved:G3})");
        Assert.True(moved > 1e-3, $"the parameters hardly moved ({moved}): the test would prove nothing");
        Assert.True(difference <= Tolerance, $"max abs difference {difference} > {Tolerance}");
        Assert.Null(a.Parameters[4].grad); // the unread parameter never had a gradient, and both skipped it
        Assert.Equal(0.0, (a.Parameters[4] - TinyProblem.Create().Parameters[4]).abs().max().item<double>());
    }
}
