using Research.Data.Text;

namespace Research.Data.Synthetic;

/// <summary>
/// A first-order Markov chain over symbols 0..K−1, used as a text source whose best achievable loss is known: a
/// language model's per-token cross-entropy on its output cannot go below the entropy rate
/// H = −Σ_i π_i Σ_j P_ij ln P_ij (nats; <see cref="EntropyRateBits"/> in bits), with π the stationary distribution
/// (π P = π, Σ π = 1). Sequences start from π, so the process is stationary from the first symbol.
/// </summary>
public sealed class MarkovChainSource
{
    private readonly double[,] _transitions;

    /// <summary>An explicit chain; every row must be a probability distribution and π must be unique (irreducible chain).</summary>
    public MarkovChainSource(double[,] transitions)
    {
        var k = transitions.GetLength(0);
        if (k == 0 || transitions.GetLength(1) != k)
            throw new ArgumentException("the transition matrix must be square and non-empty", nameof(transitions));
        for (var i = 0; i < k; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < k; j++)
            {
                if (transitions[i, j] is < 0 or double.NaN)
                    throw new ArgumentException($"P[{i},{j}] = {transitions[i, j]} is not a probability", nameof(transitions));
                sum += transitions[i, j];
            }
            if (Math.Abs(sum - 1) > 1e-9)
                throw new ArgumentException($"row {i} sums to {sum}, not 1", nameof(transitions));
        }
        _transitions = (double[,])transitions.Clone();
        Stationary = SolveStationary(_transitions);
        EntropyRate = ComputeEntropyRate(_transitions, Stationary);
    }

    /// <summary>
    /// A random chain over <paramref name="symbols"/> states: each row is drawn from a symmetric Dirichlet with
    /// <paramref name="concentration"/> (small values give peaked, low-entropy rows; 1 is uniform on the simplex),
    /// from System.Random(<paramref name="seed"/>). Rows are strictly positive, so the chain is irreducible.
    /// </summary>
    public static MarkovChainSource RandomChain(int symbols, int seed, double concentration = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(symbols, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concentration);
        var random = new Random(seed);
        var p = new double[symbols, symbols];
        for (var i = 0; i < symbols; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < symbols; j++)
                sum += p[i, j] = Math.Max(Gamma(random, concentration), 1e-12);
            for (var j = 0; j < symbols; j++)
                p[i, j] /= sum;
        }
        return new MarkovChainSource(p);
    }

    public int SymbolCount => _transitions.GetLength(0);

    public double Transition(int from, int to) => _transitions[from, to];

    /// <summary>π, the stationary distribution.</summary>
    public IReadOnlyList<double> Stationary { get; }

    /// <summary>Entropy rate in nats per symbol: the floor for a model's mean cross-entropy.</summary>
    public double EntropyRate { get; }

    public double EntropyRateBits => EntropyRate / Math.Log(2);

    /// <summary>A sample path of <paramref name="length"/> symbols; the first drawn from π.</summary>
    public int[] Sample(int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var random = new Random(seed);
        var path = new int[length];
        var k = SymbolCount;
        var state = Draw(random, j => Stationary[j], k);
        for (var t = 0; t < length; t++)
        {
            if (t > 0)
            {
                var from = state;
                state = Draw(random, j => _transitions[from, j], k);
            }
            path[t] = state;
        }
        return path;
    }

    /// <summary>
    /// One sample path of train + valid + test symbols cut in that order, as a <see cref="TokenCorpus"/> whose
    /// vocabulary is "s0".."s{K−1}" with id = state (no &lt;eos&gt;, no &lt;unk&gt;), so it runs through the word-LM path.
    /// </summary>
    public TokenCorpus ToCorpus(int trainLength, int validLength, int testLength, int seed)
    {
        var path = Sample(trainLength + validLength + testLength, seed);
        var vocabulary = new Vocabulary(Enumerable.Range(0, SymbolCount).Select(i => $"s{i}"));
        return new TokenCorpus(vocabulary,
            new TokenSplit("train", path[..trainLength]),
            new TokenSplit("valid", path[trainLength..(trainLength + validLength)]),
            new TokenSplit("test", path[(trainLength + validLength)..]));
    }

    private static int Draw(Random random, Func<int, double> probability, int k)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var j = 0; j < k - 1; j++)
        {
            cumulative += probability(j);
            if (u < cumulative)
                return j;
        }
        return k - 1;
    }

    /// <summary>Solves π (P − I) = 0 with Σ π = 1 (the last balance equation replaced by the sum) by Gaussian elimination.</summary>
    private static double[] SolveStationary(double[,] p)
    {
        var k = p.GetLength(0);
        var a = new double[k, k + 1];
        for (var row = 0; row < k - 1; row++)
        {
            // Equation 'row': Σ_i π_i (P_i,row − δ_i,row) = 0.
            for (var i = 0; i < k; i++)
                a[row, i] = p[i, row] - (i == row ? 1 : 0);
        }
        for (var i = 0; i < k; i++)
            a[k - 1, i] = 1;
        a[k - 1, k] = 1;
        for (var col = 0; col < k; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < k; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    pivot = r;
            }
            if (Math.Abs(a[pivot, col]) < 1e-12)
                throw new ArgumentException("the chain has no unique stationary distribution (it is reducible)");
            for (var c = 0; c <= k; c++)
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (var r = 0; r < k; r++)
            {
                if (r == col || a[r, col] == 0)
                    continue;
                var factor = a[r, col] / a[col, col];
                for (var c = col; c <= k; c++)
                    a[r, c] -= factor * a[col, c];
            }
        }
        var pi = new double[k];
        for (var i = 0; i < k; i++)
            pi[i] = Math.Max(0, a[i, k] / a[i, i]);
        var total = pi.Sum();
        for (var i = 0; i < k; i++)
            pi[i] /= total;
        return pi;
    }

    private static double ComputeEntropyRate(double[,] p, IReadOnlyList<double> pi)
    {
        var k = p.GetLength(0);
        var h = 0.0;
        for (var i = 0; i < k; i++)
        {
            var row = 0.0;
            for (var j = 0; j < k; j++)
            {
                if (p[i, j] > 0)
                    row -= p[i, j] * Math.Log(p[i, j]);
            }
            h += pi[i] * row;
        }
        return h;
    }

    /// <summary>Gamma(shape, 1) by Marsaglia &amp; Tsang (with the shape &lt; 1 boost), for Dirichlet rows.</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
            return Gamma(random, shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1.0 / shape);
        var d = shape - 1.0 / 3.0;
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = RandomDraws.Gaussian(random);
                v = 1.0 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
                return d * v;
        }
    }
}
