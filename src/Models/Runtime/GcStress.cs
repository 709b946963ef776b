namespace Research.Models.Runtime;

/// <summary>
/// A background thread that runs full garbage collections and finalisers back to back while it lives. Under it, any
/// TorchSharp object that nothing references (an implicit Scalar above all) is finalised within microseconds, so a
/// use-after-free that would strike once in thousands of steps strikes within a few: a test of numerical safety, not
/// a mode to train in. Switched on by <c>train.gc_stress: true</c> or the environment variable
/// <see cref="EnvironmentVariable"/>=1.
/// </summary>
public sealed class GcStress : IDisposable
{
    public const string EnvironmentVariable = "RESEARCH_GC_STRESS";

    private readonly Thread thread;
    private volatile bool stopping;
    private long cycles;

    private GcStress()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "gc-stress", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>Collections run so far.</summary>
    public long Cycles => Interlocked.Read(ref cycles);

    /// <summary>Whether the environment asks for stress (<see cref="EnvironmentVariable"/> = 1 or true).</summary>
    public static bool RequestedByEnvironment =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>Starts the collector thread when <paramref name="enabled"/> or the environment asks; null otherwise.</summary>
    public static GcStress? StartIf(bool enabled) => enabled || RequestedByEnvironment ? new GcStress() : null;

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }

    private void Run()
    {
        while (!stopping)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref cycles);
        }
    }
}
