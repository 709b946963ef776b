using System.Runtime.InteropServices;

namespace Research.Models.Recurrent;

/// <summary>
/// The step kernel's packed-weight buffers, kept for reuse: a layer packs W_hh into a new buffer on every call, and a
/// buffer above glibc's mmap threshold (hidden 1500: 36 MB) comes back as fresh pages each time, whose page faults cost
/// more than the packing itself. Calls of one shape get the same buffer back; a few idle buffers are kept at most.
/// </summary>
internal static unsafe class PanelMemory
{
    private const int IdleBuffersKept = 4;
    private static readonly List<(nint Pointer, nuint Bytes)> Idle = [];

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="bytes"/>, contents undefined; give it back with <see cref="Return"/>.</summary>
    public static (nint Pointer, nuint Bytes) Rent(nuint bytes)
    {
        lock (Idle)
        {
            // The smallest idle buffer that fits, so a large one is not spent on a small layer.
            var best = -1;
            for (var i = 0; i < Idle.Count; i++)
            {
                if (Idle[i].Bytes >= bytes && (best < 0 || Idle[i].Bytes < Idle[best].Bytes))
                    best = i;
            }
            if (best >= 0)
            {
                var found = Idle[best];
                Idle.RemoveAt(best);
                return found;
            }
        }
        return ((nint)NativeMemory.AlignedAlloc(bytes, 64), bytes);
    }

    /// <summary>Keeps the buffer for the next <see cref="Rent"/>, freeing the oldest idle one past the few kept.</summary>
    public static void Return((nint Pointer, nuint Bytes) buffer)
    {
        (nint Pointer, nuint Bytes)? evicted = null;
        lock (Idle)
        {
            Idle.Add(buffer);
            if (Idle.Count > IdleBuffersKept)
            {
                evicted = Idle[0];
                Idle.RemoveAt(0);
            }
        }
        if (evicted is { } old)
            NativeMemory.AlignedFree((void*)old.Pointer);
    }
}
