using Research.Models.Runtime;

namespace Research.Tests.Shared;

// Compiled into the test projects that reference Research.Models (tests/Directory.Build.props).
public sealed partial class TensorScopePerTestAttribute
{
    // Started once, for the life of the test process, when RESEARCH_GC_STRESS asks for it; never stopped.
    private static GcStress? gcStress;

    static partial void StartGcStress() => gcStress = GcStress.StartIf(false);
}
