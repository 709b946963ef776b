using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Forecasting;

/// <summary>
/// Normalises each window [B, L, F] by its own statistics and maps forecasts back, per <see cref="WindowNormalization"/>:
/// <code>
///   last:   x' = x − x_L                               ŷ = ŷ' + x_L            (targets' channels)
///   rev_in: x' = γ ⊙ (x − μ) / σ + β                   ŷ = (ŷ' − β) / (γ + ε²) ⊙ σ + μ
///           μ, σ² over the window's L steps per channel (σ² biased, + ε), γ, β learnt per channel; ε = 1e-5
/// </code>
/// The statistics are constants to autograd, as in both papers' code. Channels are the targets first, then covariates.
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

    public WindowScaler(WindowNormalization kind, long inputFeatures, long targetFeatures, Device? device = null, ScalarType? dtype = null)
        : base(nameof(WindowScaler))
    {
        this.kind = kind;
        targets = targetFeatures;
        if (kind == WindowNormalization.RevIn)
        {
            weight = nn.Parameter(ones(inputFeatures, dtype: dtype, device: device));
            bias = nn.Parameter(zeros(inputFeatures, dtype: dtype, device: device));
        }
        RegisterComponents();
    }

    /// <summary>A window's statistics [B, 1, F]: what is subtracted, and what it is divided by (null: nothing).</summary>
    public readonly record struct Statistics(Tensor? Shift, Tensor? Spread);

    /// <summary>The statistics of <paramref name="window"/> [B, L, F].</summary>
    public Statistics Fit(Tensor window) => kind switch
    {
        WindowNormalization.None => default,
        WindowNormalization.Last => new(window.narrow(1, window.shape[1] - 1, 1).detach(), null),
        WindowNormalization.RevIn => new(
            window.mean([1], keepdim: true).detach(),
            window.var(1, unbiased: false, keepdim: true).add(Epsilon).sqrt().detach()),
        _ => throw new ArgumentOutOfRangeException(nameof(window), kind, "unknown window normalisation"),
    };

    /// <summary>The window [B, L, F] on its own scale.</summary>
    public Tensor Normalize(Tensor window, Statistics statistics) => Forward(window, statistics, 0, window.shape[2]);

    /// <summary>Future covariates [B, S, F − targets] on the scale of the window the statistics came from.</summary>
    public Tensor NormalizeCovariates(Tensor covariates, Statistics statistics) => Forward(covariates, statistics, targets, covariates.shape[2]);

    /// <summary>A forecast [B, H, targets] back on the data's scale.</summary>
    public Tensor Denormalize(Tensor forecast, Statistics statistics)
    {
        if (statistics.Shift is not { } shift)
            return forecast;
        var y = forecast;
        if (weight is not null && bias is not null)
            y = (y - bias.narrow(0, 0, targets)) / (weight.narrow(0, 0, targets) + (Epsilon * Epsilon));
        if (statistics.Spread is { } spread)
            y = y * spread.narrow(2, 0, targets);
        return y + shift.narrow(2, 0, targets);
    }

    // Channels first … first + count of the window's statistics applied to x [B, *, count].
    private Tensor Forward(Tensor x, Statistics statistics, long first, long count)
    {
        if (statistics.Shift is not { } shift)
            return x;
        var y = x - shift.narrow(2, first, count);
        if (statistics.Spread is { } spread)
            y = y / spread.narrow(2, first, count);
        if (weight is not null && bias is not null)
            y = (y * weight.narrow(0, first, count)) + bias.narrow(0, first, count);
        return y;
    }
}
