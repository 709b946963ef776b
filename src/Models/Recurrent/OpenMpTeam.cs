using System.Runtime.InteropServices;

namespace Research.Models.Recurrent;

/// <summary>
/// Runs partitioned work on libtorch's own OpenMP thread team through libgomp's <c>GOMP_parallel</c> (what
/// <c>#pragma omp parallel</c> compiles to), so a C# kernel between libtorch ops uses the threads those ops use.
/// Why: after each parallel op libgomp's workers spin for a while; .NET pool threads started then compete with them
/// for the same cores (on 2 cores the kernel ran at one thread's speed), whereas the spinning workers take a new
/// region at once. Where no libgomp is loaded (other platforms, other OpenMP runtimes) it falls back to
/// <see cref="Parallel.For(int, int, Action{int})"/>.
/// </summary>
public static unsafe class OpenMpTeam
{
    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> GompParallel;
    private static readonly delegate* unmanaged<int> ThreadNum;
    private static readonly delegate* unmanaged<int> NumThreads;

    /// <summary>The libgomp this process runs libtorch's ops on, or null when none was found.</summary>
    public static string? LibraryPath { get; }

    /// <summary>Whether work runs on libgomp's team (true) or on .NET pool threads (false).</summary>
    public static bool IsAvailable => GompParallel != null;

    static OpenMpTeam()
    {
        // Touch libtorch first so its libgomp is mapped; the path carries a build hash, so read it from the maps.
        _ = TorchSharp.torch.get_num_threads();
        LibraryPath = LoadedLibgomp();
        if (LibraryPath is null || !NativeLibrary.TryLoad(LibraryPath, out var library))
            return;
        if (NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel)
            && NativeLibrary.TryGetExport(library, "omp_get_thread_num", out var threadNum)
            && NativeLibrary.TryGetExport(library, "omp_get_num_threads", out var numThreads))
        {
            ThreadNum = (delegate* unmanaged<int>)threadNum;
            NumThreads = (delegate* unmanaged<int>)numThreads;
            GompParallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel;
        }
    }

    private static string? LoadedLibgomp()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libgomp", StringComparison.Ordinal))
                return line[slash..];
        }
        return null;
    }

    /// <summary>
    /// Calls <paramref name="body"/> once for each partition 0 … <paramref name="partitions"/> − 1, spread over up to
    /// that many threads, and returns when all are done. One partition runs on the calling thread, inline.
    /// </summary>
    public static void Run(int partitions, Action<int> body)
    {
        using var job = new Job(body);
        Run(job, partitions);
    }

    /// <summary><see cref="Run(int, Action{int})"/> with a job made beforehand: a loop that runs every step allocates nothing.</summary>
    public static void Run(Job job, int partitions)
    {
        if (partitions <= 1)
        {
            if (partitions == 1)
                job.Body(0);
            return;
        }
        if (!IsAvailable)
        {
            System.Threading.Tasks.Parallel.For(0, partitions, job.Body);
            return;
        }
        job.Partitions = partitions;
        job.Error = null;
        GompParallel(&RunRegion, (void*)GCHandle.ToIntPtr(job.Handle), (uint)partitions, 0);
        if (job.Error is { } error)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    // Each team member takes partitions thread, thread + team, …: the team may be smaller than asked (nesting, limits).
    [UnmanagedCallersOnly]
    private static void RunRegion(void* data)
    {
        var job = (Job)GCHandle.FromIntPtr((IntPtr)data).Target!;
        try
        {
            var team = NumThreads();
            for (var partition = ThreadNum(); partition < job.Partitions; partition += team)
                job.Body(partition);
        }
        catch (Exception e)
        {
            // An exception must not cross into libgomp; the caller rethrows the first one.
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    /// <summary>A partitioned body and the handle libgomp's threads find it by, made once and run any number of times (not concurrently).</summary>
    public sealed class Job : IDisposable
    {
        internal readonly Action<int> Body;
        internal readonly GCHandle Handle;
        internal int Partitions;
        internal Exception? Error;

        public Job(Action<int> body)
        {
            Body = body;
            Handle = GCHandle.Alloc(this);
        }

        public void Dispose() => Handle.Free();
    }
}
