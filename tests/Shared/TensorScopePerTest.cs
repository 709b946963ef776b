using System.Reflection;
using TorchSharp;
using Xunit.Sdk;

[assembly: Research.Tests.Shared.TensorScopePerTest]

namespace Research.Tests.Shared;

/// <summary>
/// Runs every test of the assembly inside a TorchSharp dispose scope, as the trainer runs every batch. TorchSharp frees
/// a tensor in its finaliser, and a temporary such as <c>x.grad</c> or <c>a * b</c> in <c>(a * b).sum()</c> is
/// unreachable while libtorch still reads it; the scope holds every tensor a test makes until the test ends.
/// A tensor that a static field keeps for later tests must be detached from it (<c>DetachFromDisposeScope()</c>).
/// With <c>RESEARCH_GC_STRESS=1</c> the tests also run beside a thread that collects garbage back to back.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed partial class TensorScopePerTestAttribute : BeforeAfterTestAttribute
{
    // One test at a time runs on a thread, and a scope belongs to the thread that opened it.
    [ThreadStatic]
    private static DisposeScope? scope;

    static TensorScopePerTestAttribute() => StartGcStress();

    static partial void StartGcStress();

    public override void Before(MethodInfo methodUnderTest)
    {
        // An async test that ended on another thread left its scope open here: close it before opening the next.
        scope?.Dispose();
        scope = torch.NewDisposeScope();
    }

    public override void After(MethodInfo methodUnderTest)
    {
        var open = scope;
        scope = null;
        open?.Dispose();
    }
}
