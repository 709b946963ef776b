using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Forecasting;

/// <summary>
/// Normalises the target channels of each window [B, L, F] by their own statistics and maps forecasts back, per
/// <see cref="WindowNormalization"/>; covariates (the channels after the targets, e.g. calendar fields) pass unchanged.
/// <code>
///   last:   x' = x − x_L                               ŷ = ŷ' + x_L
///   rev_in: x' = γ ⊙ (x − μ) / σ + β                   ŷ = (ŷ' − β) / (γ + ε²) ⊙ σ + μ
///           μ, σ² over the window's L steps per target channel (σ² biased, + ε), γ, β learnt per channel; ε = 1e-5
/// </code>
/// The statistics are constants to autograd, as in both papers' code. Every add passes its Scalars (alpha
/// included) explicitly and holds them to the end: TorchSharp's `+` and add(Scalar) make an implicit alpha = 1
/// that the finaliser can free while libtorch still reads it (seen as toFloat check failures in ETT runs).
/// </summary>
public sealed class WindowScaler : nn.Module
{
    private const double Epsilon = 1e-5;
    private readonly WindowNormalization kind;
    private readonly long targets;
#pragma warning disable IDE0044 // RegisterComponents registers fields; they stay assignable for it.
    private Parameter? weight;
    private Parameter? bias;
#pragma warning restore IDE0044

    public WindowScaler(WindowNormalization kind, long targetFeatures, Device? device = null, ScalarType? dtype = null)
        : base(nameof(WindowScaler))
    {
        this.kind = kind;
        targets = targetFeatures;
        if (kind == WindowNormalization.RevIn)
        {
            weight = nn.Parameter(ones(targetFeatures, dtype: dtype, device: device));
            bias = nn.Parameter(zeros(targetFeatures, dtype: dtype, device: device));
        }
        RegisterComponents();
    }

    /// <summary>A window's target statistics [B, 1, targets]: what is subtracted, and what it is divided by (null: nothing).</summary>
    public readonly record struct Statistics(Tensor? Shift, Tensor? Spread);

    /// <summary>The statistics of the target channels of <paramref name="window"/> [B, L, F].</summary>
    public Statistics Fit(Tensor window)
    {
        var x = window.narrow(2, 0, targets);
        return kind switch
        {
            WindowNormalization.None => default,
            WindowNormalization.Last => new(x.narrow(1, x.shape[1] - 1, 1).detach(), null),
            WindowNormalization.RevIn => RevInStatistics(x),
            _ => throw new ArgumentOutOfRangeException(nameof(window), kind, "unknown window normalisation"),
        };
    }

    private static Statistics RevInStatistics(Tensor x)
    {
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.0.ToScalar();
        return new(x.mean([1], keepdim: true).detach(), x.var(1, unbiased: false, keepdim: true).add(epsilon, one).sqrt().detach());
    }

    /// <summary>The window [B, L, F] with its target channels on their own scale.</summary>
    public Tensor Normalize(Tensor window, Statistics statistics)
    {
        if (statistics.Shift is not { } shift)
            return window;
        using var one = 1.0.ToScalar();
        var y = window.narrow(2, 0, targets).sub(shift);
        if (statistics.Spread is { } spread)
            y = y / spread;
        if (weight is not null && bias is not null)
            y = (y * weight).add(bias, one);
        var covariates = window.shape[2] - targets;
        return covariates == 0 ? y : cat([y, window.narrow(2, targets, covariates)], dim: 2);
    }

    /// <summary>A forecast [B, H, targets] back on the data's scale.</summary>
    public Tensor Denormalize(Tensor forecast, Statistics statistics)
    {
        if (statistics.Shift is not { } shift)
            return forecast;
        using var one = 1.0.ToScalar();
        var y = forecast;
        if (weight is not null && bias is not null)
        {
            using var epsilonSquared = (Epsilon * Epsilon).ToScalar();
            y = y.sub(bias) / weight.add(epsilonSquared, one);
        }
        if (statistics.Spread is { } spread)
            y = y * spread;
        return y.add(shift, one);
    }
}
