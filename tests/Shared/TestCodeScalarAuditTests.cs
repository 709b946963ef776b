using Xunit.Abstractions;

namespace Research.Tests.Shared;

/// <summary>
/// The test code obeys the source code's rule (issue 18): no Scalar that nothing keeps alive. Each test assembly that
/// compiles this file audits itself, so an implicit Scalar in a test fails its own project, with its source line. That is
/// why the tests' <c>using var two = 2.ToScalar()</c> and <c>a.Plus(b)</c> are there, and why they carry no comment each.
/// </summary>
public sealed class TestCodeScalarAuditTests(ITestOutputHelper output)
{
    [Fact]
    public void TestCodeMakesNoUnownedScalar()
    {
        var violations = ScalarLifetimeAudit.ForTorchSharp.Scan(typeof(TestCodeScalarAuditTests).Assembly.Location).Where(v => !Allowed(v)).ToList();
        foreach (var v in violations)
            output.WriteLine(v.ToString());
        Assert.True(violations.Count == 0,
            $"{violations.Count} call(s) in the test code may let the GC free a Scalar mid-call:\n" + string.Join("\n", violations));
    }

    // TorchSharp's own optimizers are built only as the references that the project's optimizers are checked against
    // (their steps make implicit Scalars, which no test can change); PlantedViolations are the audit's own test cases.
    private static bool Allowed(ScalarViolation v) =>
        v.Made is not null && v.Target.Contains("+optim::", StringComparison.Ordinal)
        || v.Method.StartsWith("Research.Experiments.Tests.Safety.PlantedViolations::", StringComparison.Ordinal);
}
