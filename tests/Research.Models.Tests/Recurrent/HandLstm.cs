using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// One step of every <see cref="LstmVariant"/> for layer 0 of an Lstm, computed with System.Math in double loops
/// from the equations, so the variant tests do not trust TorchSharp to check TorchSharp.
/// </summary>
public static class HandLstm
{
    private static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

    /// <summary>x [B, in], h [B, P or H], c [B, H]; the parameters are read from <paramref name="lstm"/>'s layer 0.</summary>
    public static (double[,] h, double[,] c, double[,] f) Step(RecurrentStack lstm, double[,] x, double[,] h, double[,] c)
    {
        var v = lstm.Variant;
        var w = lstm.Weights(0);
        var (hidden, batch, inSize, outSize) = ((int)lstm.HiddenSize, x.GetLength(0), x.GetLength(1), h.GetLength(1));
        var wIh = Matrix(w.WeightIh);
        var wHh = Matrix(w.WeightHh);
        var bIh = Vector(w.BiasIh);
        var bHh = Vector(w.BiasHh);
        var hNext = new double[batch, outSize];
        var cNext = new double[batch, hidden];
        var forget = new double[batch, hidden];
        for (var b = 0; b < batch; b++)
        {
            var zx = new double[4 * hidden];
            var zh = new double[4 * hidden];
            for (var r = 0; r < 4 * hidden; r++)
            {
                for (var j = 0; j < inSize; j++)
                    zx[r] += wIh[r, j] * x[b, j];
                for (var j = 0; j < outSize; j++)
                    zh[r] += wHh[r, j] * h[b, j];
            }
            if (v.LayerNorm)
            {
                zx = NormalisePerGate(zx, hidden, Vector(w.LayerNormIhGain));
                zh = NormalisePerGate(zh, hidden, Vector(w.LayerNormHhGain));
            }
            var z = new double[4 * hidden];
            for (var r = 0; r < 4 * hidden; r++)
                z[r] = zx[r] + zh[r] + (bIh?[r] ?? 0) + (bHh?[r] ?? 0);

            var shown = new double[hidden];
            var gateO = new double[hidden];
            for (var u = 0; u < hidden; u++)
            {
                var peepI = v.Peephole ? Vector(w.PeepholeI)![u] * c[b, u] : 0;
                var peepF = v.Peephole ? Vector(w.PeepholeF)![u] * c[b, u] : 0;
                var i = v.NoInputGate ? 1 : Sigmoid(z[u] + peepI);
                var f = v.NoForgetGate ? 1 : v.CoupledInputForget ? 1 - i : Sigmoid(z[hidden + u] + peepF);
                var g = v.NoInputActivation ? z[2 * hidden + u] : Math.Tanh(z[2 * hidden + u]);
                cNext[b, u] = (f * c[b, u]) + (i * g);
                forget[b, u] = f;
                var peepO = v.Peephole ? Vector(w.PeepholeO)![u] * cNext[b, u] : 0;
                gateO[u] = v.NoOutputGate ? 1 : Sigmoid(z[3 * hidden + u] + peepO);
            }
            var cRow = Enumerable.Range(0, hidden).Select(u => cNext[b, u]).ToArray();
            var cShown = v.LayerNorm ? Normalise(cRow, Vector(w.LayerNormCellGain)!, Vector(w.LayerNormCellBias)!) : cRow;
            for (var u = 0; u < hidden; u++)
                shown[u] = gateO[u] * (v.NoOutputActivation ? cShown[u] : Math.Tanh(cShown[u]));
            if (w.WeightHr is null)
            {
                for (var u = 0; u < hidden; u++)
                    hNext[b, u] = shown[u];
            }
            else
            {
                var wHr = Matrix(w.WeightHr);
                for (var p = 0; p < outSize; p++)
                    for (var u = 0; u < hidden; u++)
                        hNext[b, p] += wHr[p, u] * shown[u];
            }
        }
        return (hNext, cNext, forget);
    }

    private static double[] NormalisePerGate(double[] z, int hidden, double[]? gain)
    {
        var result = new double[z.Length];
        for (var q = 0; q < 4; q++)
        {
            var block = Normalise(z.Skip(q * hidden).Take(hidden).ToArray(), gain!.Skip(q * hidden).Take(hidden).ToArray(), new double[hidden]);
            Array.Copy(block, 0, result, q * hidden, hidden);
        }
        return result;
    }

    // (v − mean) / sqrt(biased variance + ε) · gain + bias, as layer norm.
    private static double[] Normalise(double[] v, double[] gain, double[] bias)
    {
        var mean = v.Average();
        var variance = v.Select(a => (a - mean) * (a - mean)).Average();
        return v.Select((a, k) => ((a - mean) / Math.Sqrt(variance + LstmCell.LayerNormEpsilon) * gain[k]) + bias[k]).ToArray();
    }

    public static double[,] Matrix(Tensor t)
    {
        var flat = t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var m = new double[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(flat, 0, m, 0, flat.Length * sizeof(double));
        return m;
    }

    public static double[]? Vector(Tensor? t) => t?.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();
}
