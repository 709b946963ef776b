using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

public enum OptimizerKind
{
    Sgd,
    Adam,
    AdamW,
    RmsProp,
}

public enum ScheduleKind
{
    /// <summary>The learning rate never changes.</summary>
    Constant,

    /// <summary>Zaremba et al.: keep lr for decay_after epochs, then multiply by decay_factor every epoch.</summary>
    DecayAfter,

    /// <summary>pytorch/examples: divide by plateau_factor whenever the validation loss does not improve.</summary>
    Plateau,

    /// <summary>Cosine annealing from lr to min_lr over all epochs.</summary>
    Cosine,

    /// <summary>Multiply by step_gamma every step_size epochs.</summary>
    Step,
}

/// <summary>How the per-batch loss is scaled.</summary>
public enum LossScale
{
    /// <summary>Mean over every predicted token / element (pytorch/examples).</summary>
    Mean,

    /// <summary>The reference codes of Zaremba et al.: the sum over unrolled steps of the batch-mean loss.</summary>
    SumOverSteps,
}

/// <summary>Optimisation: how long, how fast, and when to stop.</summary>
public sealed class TrainSettings : IValidatedSettings
{
    [Range(1, 100_000)]
    public int Epochs { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 20;

    [Range(1, 1_000_000)]
    public int EvalBatchSize { get; set; } = 10;

    /// <summary>Truncated backpropagation-through-time length for language models.</summary>
    [Range(1, 100_000)]
    public int Bptt { get; set; } = 35;

    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Sgd;

    [Range(0.0, double.MaxValue, MinimumIsExclusive = true)]
    public double Lr { get; set; } = 1.0;

    /// <summary>SGD's and RMSprop's momentum μ (0: none).</summary>
    [Range(0.0, double.MaxValue)]
    public double Momentum { get; set; }

    /// <summary>L2 penalty λ added to the gradient (SGD, Adam, RMSprop) or decoupled decay (AdamW; TorchSharp's default 0).</summary>
    [Range(0.0, double.MaxValue)]
    public double WeightDecay { get; set; }

    /// <summary>RMSprop's smoothing constant (char-rnn: 0.95; Arjovsky et al.: 0.9).</summary>
    [Range(0.0, 1.0)]
    public double Alpha { get; set; } = 0.99;

    /// <summary>SGD's dampening τ of the gradient added to the momentum buffer.</summary>
    [Range(0.0, 1.0)]
    public double Dampening { get; set; }

    /// <summary>SGD's Nesterov momentum (needs momentum &gt; 0 and dampening 0).</summary>
    public bool Nesterov { get; set; }

    /// <summary>Adam's and AdamW's decay of the first moment.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's and AdamW's decay of the second moment.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Adam's, AdamW's and RMSprop's ε added to the root of the second moment.</summary>
    [Range(0.0, 1.0)]
    public double Eps { get; set; } = 1e-8;

    /// <summary>Centered RMSprop: the second moment less the square of the mean gradient (Graves 2013).</summary>
    public bool Centered { get; set; }

    /// <summary>RMSprop divides by √(v + ε) as Keras 3 (its ε is 1e-7), not by √v + ε as PyTorch.</summary>
    public bool EpsInsideSqrt { get; set; }

    public ScheduleKind Schedule { get; set; } = ScheduleKind.Constant;

    public int DecayAfter { get; set; } = 4;

    public double DecayFactor { get; set; } = 0.5;

    [Range(1.0, 1e6, MinimumIsExclusive = true)]
    public double PlateauFactor { get; set; } = 4.0;

    [Range(1, 100_000)]
    public int StepSize { get; set; } = 10;

    public double StepGamma { get; set; } = 0.1;

    public double MinLr { get; set; }

    public LossScale LossScale { get; set; } = LossScale.Mean;

    /// <summary>
    /// Language models compute their cross-entropy in one fused C# pass (float32 on a CPU with AVX2/FMA), equal to
    /// libtorch's cross_entropy within float32 rounding; false takes libtorch's log-softmax + NLL as before.
    /// </summary>
    public bool FusedCrossEntropy { get; set; } = true;

    /// <summary>Global gradient-norm clipping threshold; 0 disables clipping.</summary>
    [Range(0.0, 1e9)]
    public double ClipNorm { get; set; } = 5.0;

    /// <summary>
    /// Element-wise gradient clamp: every gradient element to [−clip_value, clip_value] (char-rnn's grad_clip); 0
    /// disables it. With clip_norm too, the clamp comes first and the norm clip then scales the clamped gradient.
    /// </summary>
    [Range(0.0, 1e9)]
    public double ClipValue { get; set; }

    /// <summary>Stop after this many epochs without a better validation metric; 0 never stops early.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Stop after this many optimizer steps in total (0: no limit); for smoke tests and dry runs.</summary>
    public int MaxSteps { get; set; }

    /// <summary>
    /// Run full garbage collections back to back beside training (also RESEARCH_GC_STRESS=1), so any native value that
    /// nothing keeps alive is freed at once: a test of numerical safety, several times slower than a normal run.
    /// </summary>
    public bool GcStress { get; set; }

    /// <summary>Log training metrics every this many steps.</summary>
    [Range(1, 1_000_000)]
    public int LogEvery { get; set; } = 50;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Schedule == ScheduleKind.DecayAfter && DecayFactor is <= 0 or > 1)
            yield return new(nameof(DecayFactor), $"must be in (0, 1] for the decay_after schedule, got {DecayFactor}");
        if (Schedule == ScheduleKind.Cosine && MinLr > Lr)
            yield return new(nameof(MinLr), $"must not exceed lr ({Lr}), got {MinLr}");
        foreach (var problem in OptimizerProblems())
            yield return problem;
    }

    /// <summary>An option of another optimizer than the chosen one would be ignored: say so (only for the options that came with the project's own optimizers).</summary>
    private IEnumerable<ConfigProblem> OptimizerProblems()
    {
        var optimizer = SnakeCase.From(Optimizer.ToString());
        var adam = Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW;
        if (Dampening != 0 && Optimizer != OptimizerKind.Sgd)
            yield return new(nameof(Dampening), $"applies to optimizer sgd only, got optimizer {optimizer}");
        if (Nesterov && Optimizer != OptimizerKind.Sgd)
            yield return new(nameof(Nesterov), $"applies to optimizer sgd only, got optimizer {optimizer}");
        else if (Nesterov && (Momentum <= 0 || Dampening != 0))
            yield return new(nameof(Nesterov), $"needs momentum > 0 and dampening 0, got momentum {Momentum} and dampening {Dampening}");
        if (Beta1 != 0.9 && !adam)
            yield return new(nameof(Beta1), $"applies to optimizers adam and adam_w only, got optimizer {optimizer}");
        if (Beta2 != 0.999 && !adam)
            yield return new(nameof(Beta2), $"applies to optimizers adam and adam_w only, got optimizer {optimizer}");
        if (Eps != 1e-8 && Optimizer == OptimizerKind.Sgd)
            yield return new(nameof(Eps), "applies to optimizers adam, adam_w and rms_prop, got optimizer sgd");
        if (Centered && Optimizer != OptimizerKind.RmsProp)
            yield return new(nameof(Centered), $"applies to optimizer rms_prop only, got optimizer {optimizer}");
        if (EpsInsideSqrt && Optimizer != OptimizerKind.RmsProp)
            yield return new(nameof(EpsInsideSqrt), $"applies to optimizer rms_prop only, got optimizer {optimizer}");
    }
}
