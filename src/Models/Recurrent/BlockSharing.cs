namespace Research.Models.Recurrent;

/// <summary>
/// How the threads of <see cref="LstmStepKernel"/>'s units split share a step's blocks of hidden units
/// (<see cref="LstmStepKernel.Sharing"/>). Each thread owns a contiguous share of the blocks either way; which thread
/// runs a block changes nothing in its results, bit for bit.
/// </summary>
public enum BlockSharing
{
    /// <summary>Each thread runs its own share and nothing else; the step waits for the slowest share.</summary>
    Static,

    /// <summary>
    /// A thread that has run its own share takes the blocks another has not started, from the back of that share (the
    /// default): a vCPU that runs slower for a while no longer holds every step up.
    /// </summary>
    Stealing,

    /// <summary>Every thread takes the other shares' blocks before its own, so that most blocks run on a thread other than their share's: for tests.</summary>
    StealingFirst,
}
