namespace Research.Models.Recurrent;

/// <summary>How <see cref="Lstm"/> computes its layers. Both give the same results (see the parity tests).</summary>
public enum LstmImplementation
{
    /// <summary>
    /// <see cref="LstmCell.Step"/> unrolled over time, autograd through every op: the readable reference.
    /// </summary>
    Readable,

    /// <summary>
    /// <see cref="LstmLayerFunction"/>: one layer as a custom autograd function with hand-derived backpropagation
    /// through time, all input projections in one matrix product and in-place per-step maths.
    /// </summary>
    Fast,
}
