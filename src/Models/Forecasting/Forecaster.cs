using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Forecasting;

/// <summary>The shape of a <see cref="Forecaster"/>. Inputs are the target columns first, then any covariates.</summary>
public sealed record ForecasterOptions(
    long InputFeatures,
    long TargetFeatures,
    long Horizon,
    long HiddenSize,
    long Layers = 1,
    double Dropout = 0.0)
{
    /// <summary>The cell, its backend and the regularisers inside the recurrence (locked dropout, weight drop).</summary>
    public RecurrentStackOptions Recurrence { get; init; } = new();

    /// <summary>How each window is normalised on its own before the encoder, and the forecast denormalised after.</summary>
    public WindowNormalization WindowNormalization { get; init; } = WindowNormalization.None;
}

/// <summary>
/// A recurrent encoder (LSTM, GRU or RNN) over a look-back window and a linear head on its last hidden state.
/// <code>
///   window [B, L, F] ──RNN───▶ h_L [B, H] ──linear──▶ [B, horizon · targets] ──▶ forecast [B, horizon, targets]
/// </code>
/// Horizon 1 is the one-step forecaster; a larger horizon is the direct multi-horizon (MIMO) strategy. A one-step
/// model also forecasts further by autoregressive roll-out (<see cref="RollOut"/>), feeding its predictions back.
/// With a <see cref="WindowNormalization"/> the encoder and head work on the window's own scale (<see cref="WindowScaler"/>).
/// </summary>
public sealed class Forecaster : nn.Module<Tensor, Tensor>
{
    private readonly RecurrentStack encoder;
    private readonly Linear head;
    private readonly Dropout drop;
    private readonly WindowScaler scaler;

    public Forecaster(ForecasterOptions options, Device? device = null, ScalarType? dtype = null) : base(nameof(Forecaster))
    {
        if (options.TargetFeatures > options.InputFeatures)
            throw new ArgumentException($"targets ({options.TargetFeatures}) must be among the input features ({options.InputFeatures})");
        Options = options;
        encoder = new RecurrentStack(options.Recurrence, options.InputFeatures, options.HiddenSize, options.Layers, options.Dropout, device: device, dtype: dtype);
        head = nn.Linear(encoder.OutputSize, options.Horizon * options.TargetFeatures, device: device, dtype: dtype);
        drop = nn.Dropout(options.Dropout);
        scaler = new WindowScaler(options.WindowNormalization, options.TargetFeatures, device, dtype);
        RegisterComponents();
    }

    public ForecasterOptions Options { get; }

    /// <summary>The recurrent encoder, with the backend it resolved.</summary>
    public RecurrentStack Recurrence => encoder;

    /// <summary>window [B, L, F] → forecast [B, horizon, targets].</summary>
    public override Tensor forward(Tensor window)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var statistics = scaler.Fit(window);
        var (output, _) = encoder.call(scaler.Normalize(window, statistics).transpose(0, 1));
        var forecast = head.call(drop.call(output[-1])).view(window.shape[0], Options.Horizon, Options.TargetFeatures);
        return scaler.Denormalize(forecast, statistics);
    }

    /// <summary>
    /// Forecasts <paramref name="steps"/> ahead with a one-step model by feeding each prediction back as the next input,
    /// carrying the recurrent state rather than re-reading the window. <paramref name="futureCovariates"/> [B, steps, F − targets]
    /// supplies the covariates of the forecast steps when the model has any.
    /// </summary>
    public Tensor RollOut(Tensor window, long steps, Tensor? futureCovariates = null)
    {
        if (Options.Horizon != 1)
            throw new InvalidOperationException($"roll-out needs a one-step model, this one has horizon {Options.Horizon}");
        var covariates = Options.InputFeatures - Options.TargetFeatures;
        if (covariates > 0 && futureCovariates is null)
            throw new ArgumentException($"the model reads {covariates} covariates: pass their future values", nameof(futureCovariates));

        // The roll-out stays on the window's normalised scale: predictions go back in as they are and only the
        // finished forecast is denormalised (covariates are never normalised).
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var statistics = scaler.Fit(window);
        var (output, state) = encoder.call(scaler.Normalize(window, statistics).transpose(0, 1));
        var prediction = head.call(output[-1]);                                // [B, targets]
        var predictions = new List<Tensor> { prediction };
        for (long k = 1; k < steps; k++)
        {
            var next = covariates > 0 ? cat([prediction, futureCovariates![.., k - 1]], dim: 1) : prediction;
            (output, state) = encoder.call(next.unsqueeze(0), state);
            prediction = head.call(output[-1]);
            predictions.Add(prediction);
        }
        return scaler.Denormalize(stack(predictions, dim: 1), statistics);    // [B, steps, targets]
    }
}
