using Research.Tests.Shared;
using Xunit.Abstractions;

namespace Research.Experiments.Tests.Safety;

/// <summary>
/// The guard of issue 18: no project assembly may hand libtorch a Scalar that nothing keeps alive (see
/// <see cref="ScalarLifetimeAudit"/>). It fails the test run and lists each call with its source line.
/// </summary>
public sealed class ScalarLifetimeAuditTests(ITestOutputHelper output)
{
    public static TheoryData<string> ProjectAssemblies => new()
    {
        typeof(Research.Data.DataException).Assembly.Location,
        typeof(Research.Models.Recurrent.LstmCell).Assembly.Location,
        typeof(Research.Experiments.Runs.ExperimentRunner).Assembly.Location,
    };

    // Methods allowed to construct a TorchSharp type whose step makes implicit Scalars, each with why that is safe.
    private static readonly Dictionary<string, string> MayConstruct = new()
    {
        ["Research.Models.Optimization.TorchSharpOptimizerState::Create(Research.Models.Optimization.Optimizer)"] =
            "builds TorchSharp's optimizer only to read an RSCHKPT1 checkpoint's state into ours; it is never stepped",
    };

    [Theory]
    [MemberData(nameof(ProjectAssemblies))]
    public void ProjectCodeMakesNoUnownedScalar(string assembly)
    {
        var violations = ScalarLifetimeAudit.ForTorchSharp.Scan(assembly)
            .Where(v => !(MayConstruct.ContainsKey(v.Method) && v.Made is not null))
            .ToList();
        foreach (var v in violations)
            output.WriteLine(v.ToString());
        Assert.True(violations.Count == 0,
            $"{violations.Count} call(s) in {Path.GetFileName(assembly)} may let the GC free a Scalar mid-call:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void PlantedViolationsAreCaughtAndTheCleanMethodPasses()
    {
        var flagged = ScalarLifetimeAudit.ForTorchSharp.Scan(typeof(PlantedViolations).Assembly.Location)
            .Where(v => v.Method.StartsWith("Research.Experiments.Tests.Safety.PlantedViolations::", StringComparison.Ordinal))
            .ToList();
        string Reason(string method) => string.Join("; ", flagged.Where(v => v.Method.Contains($"::{method}(", StringComparison.Ordinal)).Select(v => v.Reason));

        Assert.Contains("op_Multiply", Reason(nameof(PlantedViolations.ImplicitLiteral)));
        Assert.Contains("torch+Tensor::add(TorchSharp.torch+Tensor) makes an implicit Scalar inside", Reason(nameof(PlantedViolations.HiddenAlpha)));
        Assert.Contains("op_Addition", Reason(nameof(PlantedViolations.OperatorPlus)));
        Assert.Contains("ToScalar(System.Double) is neither disposed", Reason(nameof(PlantedViolations.UndisposedToScalar)));
        Assert.Contains("makes a TorchSharp.Modules.Adam, whose TorchSharp.Modules.Adam::step(", Reason(nameof(PlantedViolations.TorchSharpsAdam)));
        Assert.Equal("", Reason(nameof(PlantedViolations.Clean)));
        Assert.All(flagged, v => Assert.Contains("PlantedViolations.cs:", v.Location));
    }

    [Fact]
    public void TorchSharpsHiddenScalarListHoldsTheKnownOffenders()
    {
        var hidden = ScalarLifetimeAudit.ForTorchSharp.HiddenScalarMethods;
        Assert.Contains("TorchSharp.torch+Tensor::add(TorchSharp.torch+Tensor)", hidden);
        Assert.Contains("TorchSharp.torch+Tensor::op_Addition(TorchSharp.torch+Tensor,TorchSharp.torch+Tensor)", hidden);
        Assert.Contains(hidden, m => m.StartsWith("TorchSharp.Modules.Adam::step(", StringComparison.Ordinal));
        // ToScalar().ToDouble(): the tensor's Scalar is unreachable while libtorch converts it.
        Assert.Contains("TorchSharp.TensorExtensionMethods::ToDouble(TorchSharp.torch+Tensor)", hidden);
        // Explicit-Scalar overloads and Scalar-free ones stay allowed.
        Assert.DoesNotContain("TorchSharp.torch+Tensor::add(TorchSharp.torch+Tensor,TorchSharp.Scalar)", hidden);
        Assert.DoesNotContain("TorchSharp.torch+Tensor::mul(TorchSharp.torch+Tensor)", hidden);
        Assert.DoesNotContain("TorchSharp.torch+Tensor::sub(TorchSharp.torch+Tensor)", hidden);
    }
}
