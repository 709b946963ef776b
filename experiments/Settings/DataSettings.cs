using System.ComponentModel.DataAnnotations;
using Research.Data.TimeSeries;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>Text granularity of a language-model corpus.</summary>
public enum TextLevel
{
    Word,
    Char,
}

/// <summary>How a time series is split chronologically.</summary>
public enum SeriesSplit
{
    /// <summary>Fractions train/valid/test of the rows (valid and test windows start lookback rows earlier).</summary>
    Fractions,

    /// <summary>Informer's ETT protocol: 12/4/4 months (hourly or 15-minute rows).</summary>
    InformerEtt,

    /// <summary>Explicit row counts train/valid/test (split_counts), e.g. the last 24 months for validation and test.</summary>
    Counts,
}

/// <summary>Which data an experiment reads and how it is shaped into batches.</summary>
public sealed class DataSettings : IValidatedSettings
{
    /// <summary>
    /// A registered dataset (ptb, wikitext-2, tinyshakespeare, ett, airline-passengers, monthly-sunspots, jsb_chorales)
    /// or a built-in generator (markov, adding, copying, sine).
    /// </summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Local mirror folder with one sub-folder per dataset; null uses $RESEARCH_DATA_DIR, then the cache.</summary>
    public string? Dir { get; set; }

    public TextLevel Level { get; set; } = TextLevel.Word;

    /// <summary>Character corpora from one file: the train fraction (char-rnn: 0.95), the rest is validation.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double TrainFraction { get; set; } = 0.95;

    /// <summary>Lower-case the text before the vocabulary is built (Keras lstm_text_generation: text.lower()).</summary>
    public bool LowerCase { get; set; }

    /// <summary>Language models: fixed windows with a next-token target (Keras) instead of truncated BPTT over streams.</summary>
    public TextWindowSettings Windows { get; set; } = new();

    // Built-in Markov text source.
    [Range(2, 100_000)]
    public int Symbols { get; set; } = 16;

    [Range(2, int.MaxValue)]
    public int TrainTokens { get; set; } = 100_000;

    [Range(2, int.MaxValue)]
    public int EvalTokens { get; set; } = 10_000;

    /// <summary>Concentration of the Markov source's rows: smaller is more predictable (lower entropy rate).</summary>
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double Concentration { get; set; } = 0.1;

    // Synthetic sequence tasks (adding, copying).
    [Range(1, 1_000_000)]
    public int SequenceLength { get; set; } = 100;

    [Range(1, int.MaxValue)]
    public int TrainSequences { get; set; } = 10_000;

    [Range(1, int.MaxValue)]
    public int EvalSequences { get; set; } = 1_000;

    // Time series.
    /// <summary>The CSV inside the dataset folder (e.g. ETTh1.csv); null when the dataset has one file.</summary>
    public string? File { get; set; }

    public string TimeColumn { get; set; } = "date";

    /// <summary>Target columns; empty means every numeric column (multivariate).</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Extra input columns that are not forecast.</summary>
    public List<string> Covariates { get; set; } = [];

    /// <summary>Calendar covariates computed from the time column (month, day_of_week, hour, day_of_month, minute).</summary>
    public List<CalendarFields> Calendar { get; set; } = [];

    [Range(1, 1_000_000)]
    public int Lookback { get; set; } = 96;

    [Range(1, 1_000_000)]
    public int Horizon { get; set; } = 24;

    [Range(1, 1_000_000)]
    public int Stride { get; set; } = 1;

    public SeriesSplit Split { get; set; } = SeriesSplit.Fractions;

    [Range(0.0, 1.0)]
    public List<double> SplitFractions { get; set; } = [0.7, 0.1, 0.2];

    [Range(0, int.MaxValue)]
    public List<int> SplitCounts { get; set; } = [];

    /// <summary>Season length in rows (12 for monthly data); when set, the test split also scores the seasonal-naive forecast.</summary>
    [Range(0, 1_000_000)]
    public int Season { get; set; }

    /// <summary>standard (z-score), min_max or none; fitted on the training rows only.</summary>
    public ScalerKind Scaler { get; set; } = ScalerKind.Standard;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Split == SeriesSplit.Counts && SplitCounts.Count != 3)
            yield return new(nameof(SplitCounts), $"needs three row counts (train, valid, test) for split: counts, got [{string.Join(", ", SplitCounts)}]");
        if (SplitFractions.Count != 3 || Math.Abs(SplitFractions.Sum() - 1) > 1e-9)
            yield return new(nameof(SplitFractions), $"needs three fractions (train, valid, test) summing to 1, got [{string.Join(", ", SplitFractions)}]");
        if (Season > Lookback)
            yield return new(nameof(Season), $"the seasonal-naive forecast repeats the last season of the lookback: season {Season} must be at most lookback {Lookback}");
        if (string.IsNullOrWhiteSpace(Name))
            yield return new(nameof(Name), "must name a dataset or a built-in generator");
    }
}
