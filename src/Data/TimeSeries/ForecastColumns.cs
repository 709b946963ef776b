namespace Research.Data.TimeSeries;

/// <summary>
/// What a model forecasts (targets) and what else it reads (covariates). Inputs are the targets followed by the
/// covariates. Informer's settings: M = Multivariate(frame), S = Univariate("OT"), MS = MultivariateToOne(frame, "OT").
/// </summary>
public sealed record ForecastColumns
{
    public ForecastColumns(IReadOnlyList<string> targets, IReadOnlyList<string> covariates)
    {
        if (targets.Count == 0)
            throw new ArgumentException("at least one target column is needed.", nameof(targets));
        var both = targets.Concat(covariates).GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (both is not null)
            throw new ArgumentException($"column '{both.Key}' is listed twice among targets and covariates.");
        Targets = [.. targets];
        Covariates = [.. covariates];
    }

    public IReadOnlyList<string> Targets { get; }

    public IReadOnlyList<string> Covariates { get; }

    /// <summary>Targets then covariates: the numeric input columns, all scaled.</summary>
    public IReadOnlyList<string> Inputs => [.. Targets, .. Covariates];

    public static ForecastColumns Univariate(string target) => new([target], []);

    public static ForecastColumns Multivariate(TimeSeriesFrame frame) => new(frame.ColumnNames, []);

    public static ForecastColumns MultivariateToOne(TimeSeriesFrame frame, string target) =>
        new([target], [.. frame.ColumnNames.Where(c => c != target)]);
}
