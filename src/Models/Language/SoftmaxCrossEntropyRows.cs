using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// <see cref="SoftmaxCrossEntropyFunction"/>'s row loops in C# SIMD, written once over <see cref="KernelVector{TVec}"/>
/// (the step kernel's operations, so the same two widths). Per row z of the logits [N, V] and its target t:
/// <code>
/// forward    m = max_j z_j;  s = log Σ_j e^(z_j − m);  loss = (m − z_t) + s        (two reads of a row, no [N, V] output)
/// backward   dz_j = g · e^((z_j − m) − s)  − g·[j = t]                             (one read and one write per row)
/// </code>
/// where g is the incoming gradient over N (mean) or itself (sum). m and s are kept apart, as libtorch's log_softmax
/// does: m + s rounded to one float would lose e^(z − m)'s precision where the logits are large. libtorch's cross_entropy writes the [N, V]
/// log-softmax forward and reads it back with a zero-filled [N, V] NLL gradient backward: about twice the memory
/// traffic, which at a 10,000-word vocabulary is most of the time. Rows are split evenly between libtorch's threads.
/// A row holding NaN or ±∞ gets a NaN loss and NaN gradients, as libtorch's does.
/// </summary>
internal sealed unsafe class SoftmaxCrossEntropyRows<TVec> : KernelVector<TVec>
    where TVec : struct
{
    private const int RowsPerThreadAtLeast = 4;

    private SoftmaxCrossEntropyRows()
    {
    }

    /// <summary>Writes each row's m and s into <paramref name="shifts"/> [N, 2] and returns Σ_n (m_n − z_{n,t_n} + s_n) in double.</summary>
    public static double Forward(Tensor logits, Tensor targets, Tensor shifts)
    {
        var (rows, classes) = ((int)logits.shape[0], (int)logits.shape[1]);
        var (z, t, l) = ((nint)Data(logits), (nint)(long*)Data(targets), (nint)Data(shifts));
        var partitions = Partitions(rows);
        var sums = new double[partitions];
        OpenMpTeam.Run(partitions, p =>
        {
            var sum = 0.0;
            for (var n = rows * p / partitions; n < rows * (p + 1) / partitions; n++)
            {
                var row = (float*)z + ((long)n * classes);
                var (max, logSum) = LogSumExp(row, classes);
                ((float*)l)[2 * n] = max;
                ((float*)l)[(2 * n) + 1] = logSum;
                sum += (double)max - row[((long*)t)[n]] + logSum;
            }
            sums[p] = sum;
        });
        return sums.Sum();
    }

    /// <summary>Writes dz = <paramref name="scale"/> · (softmax(z) − onehot(t)) into <paramref name="gradient"/> [N, V].</summary>
    public static void Backward(Tensor logits, Tensor targets, Tensor shifts, float scale, Tensor gradient)
    {
        var (rows, classes) = ((int)logits.shape[0], (int)logits.shape[1]);
        var (z, t, l, d) = ((nint)Data(logits), (nint)(long*)Data(targets), (nint)Data(shifts), (nint)Data(gradient));
        var partitions = Partitions(rows);
        OpenMpTeam.Run(partitions, p =>
        {
            for (var n = rows * p / partitions; n < rows * (p + 1) / partitions; n++)
            {
                var offset = (long)n * classes;
                var dz = (float*)d + offset;
                ScaledSoftmax((float*)z + offset, ((float*)l)[2 * n], ((float*)l)[(2 * n) + 1], scale, dz, classes);
                dz[((long*)t)[n]] -= scale;
            }
        });
    }

    private static int Partitions(int rows) => Math.Max(1, Math.Min(get_num_threads(), rows / RowsPerThreadAtLeast));

    // m and log Σ e^(z − m); s is NaN where the row holds NaN or an infinity (the sum of the row is then NaN or infinite).
    private static (float Max, float LogSum) LogSumExp(float* z, int classes)
    {
        var (max0, max1) = (Broadcast(float.NegativeInfinity), Broadcast(float.NegativeInfinity));
        var total = default(TVec);
        var j = 0;
        for (; j + (2 * Lanes) <= classes; j += 2 * Lanes)
        {
            var (a, b) = (Load(z + j), Load(z + j + Lanes));
            (max0, max1, total) = (Max(max0, a), Max(max1, b), Add(total, Add(a, b)));
        }
        for (; j + Lanes <= classes; j += Lanes)
        {
            var a = Load(z + j);
            (max0, total) = (Max(max0, a), Add(total, a));
        }
        var (max, check) = (MaxOfLanes(Max(max0, max1)), (double)SumOfLanes(total));
        for (; j < classes; j++)
            (max, check) = (MathF.Max(max, z[j]), check + z[j]);
        if (double.IsNaN(check) || !float.IsFinite(max))
            return (max, float.NaN);

        var shift = Broadcast(max);
        var (sum0, sum1) = (default(TVec), default(TVec));
        j = 0;
        for (; j + (2 * Lanes) <= classes; j += 2 * Lanes)
            (sum0, sum1) = (Add(sum0, Exp(Subtract(Load(z + j), shift))), Add(sum1, Exp(Subtract(Load(z + j + Lanes), shift))));
        for (; j + Lanes <= classes; j += Lanes)
            sum0 = Add(sum0, Exp(Subtract(Load(z + j), shift)));
        var sum = SumOfLanes(Add(sum0, sum1));
        for (; j < classes; j++)
            sum += MathF.Exp(z[j] - max);
        return (max, MathF.Log(sum));
    }

    // dz = scale · e^((z − m) − s), all NaN where the row's s is.
    private static void ScaledSoftmax(float* z, float max, float logSum, float scale, float* dz, int classes)
    {
        if (float.IsNaN(logSum))
        {
            new Span<float>(dz, classes).Fill(float.NaN);
            return;
        }
        var (shift, log, factor) = (Broadcast(max), Broadcast(logSum), Broadcast(scale));
        var j = 0;
        for (; j + Lanes <= classes; j += Lanes)
            Store(dz + j, Multiply(Exp(Subtract(Subtract(Load(z + j), shift), log)), factor));
        for (; j < classes; j++)
            dz[j] = MathF.Exp(z[j] - max - logSum) * scale;
    }
}
