namespace Research.Models.Recurrent;

/// <summary>Which recurrent cell a <see cref="RecurrentStack"/> stacks (Chung et al. 2014 compare the first three).</summary>
public enum RecurrentCellKind
{
    /// <summary>Long short-term memory: state (h, c), gates i, f, g, o.</summary>
    Lstm,

    /// <summary>Gated recurrent unit (Cho et al. 2014): state h, gates r, z, n.</summary>
    Gru,

    /// <summary>Elman RNN with tanh: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).</summary>
    RnnTanh,

    /// <summary>Elman RNN with ReLU (Le et al. 2015's IRNN without its identity initialisation).</summary>
    RnnRelu,
}
