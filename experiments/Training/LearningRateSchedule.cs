using Research.Experiments.Settings;

namespace Research.Experiments.Training;

/// <summary>
/// The learning rate per epoch. Closed forms for the fixed schedules; the plateau schedule keeps the best validation
/// loss, which is saved in checkpoints (see <see cref="State"/>) so a resumed run decays exactly as an unbroken one.
/// </summary>
public sealed class LearningRateSchedule(TrainSettings settings)
{
    /// <summary>The learning rate for the epoch about to run.</summary>
    public double Current { get; private set; } = settings.Lr;

    /// <summary>Best validation loss seen, for the plateau rule.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    public (double Current, double BestLoss) State => (Current, BestLoss);

    public void Restore((double Current, double BestLoss) state) => (Current, BestLoss) = state;

    /// <summary>Called once after epoch <paramref name="epoch"/> (1-based) was validated; sets the rate for the next one.</summary>
    public double AfterEpoch(int epoch, double validLoss)
    {
        var next = epoch + 1;
        Current = settings.Schedule switch
        {
            ScheduleKind.Constant => settings.Lr,
            // Zaremba et al.: lr · decay^max(0, e − k); with k = 4, epochs 1–4 run at lr and epoch 5 at lr · decay.
            ScheduleKind.DecayAfter => settings.Lr * Math.Pow(settings.DecayFactor, Math.Max(0, next - settings.DecayAfter)),
            // pytorch/examples: lr /= 4 whenever the validation loss fails to improve on the best so far.
            ScheduleKind.Plateau => validLoss < BestLoss ? Current : Current / settings.PlateauFactor,
            ScheduleKind.Cosine => settings.MinLr + ((settings.Lr - settings.MinLr)
                * (1 + Math.Cos(Math.PI * Math.Min(next - 1, settings.Epochs) / settings.Epochs)) / 2),
            ScheduleKind.Step => settings.Lr * Math.Pow(settings.StepGamma, (next - 1) / settings.StepSize),
            _ => throw new InvalidOperationException($"unknown schedule {settings.Schedule}"),
        };
        BestLoss = Math.Min(BestLoss, validLoss);
        return Current;
    }
}
