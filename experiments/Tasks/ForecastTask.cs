using Research.Data;
using Research.Data.TimeSeries;
using Research.Experiments.Metrics;
using Research.Experiments.Settings;
using Research.Experiments.Training;
using Research.Models.Forecasting;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tasks;

/// <summary>
/// Forecasting from a look-back window: the series is split chronologically, scaled with statistics of the training
/// rows only, cut into (lookback → horizon) windows, and the model is trained on MSE in scaled units. Validation and
/// test report MSE and MAE on the scaled series (as Informer does) and every <see cref="ForecastMetrics"/> in
/// original units. With the autoregressive strategy a one-step model is trained and rolled out over the horizon.
/// </summary>
public sealed class ForecastTask : ITrainingTask
{
    private readonly TaskSettings<SeriesDataSettings, ForecasterSettings> _settings;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private readonly SlidingWindows _train;
    private readonly double _naiveScale;
    private readonly double _scaledNaiveScale;

    public ForecastTask(TaskSettings<SeriesDataSettings, ForecasterSettings> settings, TimeSeriesFrame frame, Device device, ScalarType dtype)
    {
        (_settings, _device, _dtype) = (settings, device, dtype);
        var d = settings.Data;
        var targets = d.Targets.Count > 0 ? d.Targets : [.. frame.ColumnNames.Where(c => !d.Covariates.Contains(c))];
        var columns = new ForecastColumns(targets, d.Covariates);
        var split = d.Split switch
        {
            SeriesSplit.InformerEtt => ChronologicalSplit.InformerEtt(frame, Granularity(frame), d.Lookback),
            SeriesSplit.Counts => ChronologicalSplit.ByCounts(frame, d.SplitCounts[0], d.SplitCounts[1], d.SplitCounts[2], d.Lookback),
            _ => ChronologicalSplit.ByFractions(frame, d.SplitFractions[0], d.SplitFractions[1], d.SplitFractions[2], d.Lookback),
        };
        Dataset = ForecastDataset.Prepare(frame, split, columns, d.Scaler, d.Calendar.Aggregate(CalendarFields.None, (all, f) => all | f));
        OriginalFrame = frame;
        var trainTargets = frame.SelectColumns(targets).Rows(split.Train.Start, split.Train.OwnRows);
        _naiveScale = ForecastMetrics.NaiveScale(trainTargets.Values, targets.Count);
        _scaledNaiveScale = ForecastMetrics.NaiveScale(Dataset.Frame.SelectColumns(targets).Rows(split.Train.Start, split.Train.OwnRows).Values, targets.Count);
        TrainHorizon = settings.Model.Strategy == ForecastStrategy.Autoregressive ? 1 : d.Horizon;
        _train = Dataset.Windows(SplitPart.Train, TrainHorizon, d.Stride);
        var m = settings.Model;
        Model = new Forecaster(new ForecasterOptions(Dataset.InputColumns.Count, targets.Count, TrainHorizon, m.HiddenSize, m.Layers, m.Dropout) { Recurrence = m.Recurrence(), WindowNormalization = m.WindowNorm }, device, dtype);
        StepsPerEpoch = (_train.Count + settings.Train.BatchSize - 1) / settings.Train.BatchSize;
    }

    public Forecaster Model { get; }

    nn.Module ITrainingTask.Model => Model;

    public ForecastDataset Dataset { get; }

    public TimeSeriesFrame OriginalFrame { get; }

    public int TrainHorizon { get; }

    /// <summary>The series' keys: lookback, horizon, stride, time column.</summary>
    public SeriesDataSettings Data => _settings.Data;

    public string ItemName => "windows";

    public long StepsPerEpoch { get; }

    public IEnumerable<TrainingBatch> TrainingBatches(int epoch)
    {
        var shuffle = new Random(EpochSeed.Of(_settings.Seed, epoch));
        foreach (var batch in _train.Batches(_settings.Train.BatchSize, shuffle))
        {
            using (batch)
            {
                var inputs = batch.Inputs.to(_dtype).to(_device);
                var targets = batch.Targets.to(_dtype).to(_device);
                var mean = nn.functional.mse_loss(Model.call(inputs), targets);
                var loss = LossScaling.Apply(mean, TrainHorizon, _settings.Train.LossScale);
                yield return new TrainingBatch(loss, mean.ReadDouble(), inputs.shape[0]);
            }
        }
    }

    /// <summary>Forecasts for a batch of windows in scaled units, [N, horizon, targets].</summary>
    public Tensor Forecast(Tensor inputs) => _settings.Model.Strategy == ForecastStrategy.Autoregressive
        ? Model.RollOut(inputs, _settings.Data.Horizon)
        : Model.call(inputs);

    /// <summary>Scaled forecasts or targets [N, horizon, targets] back in original units, as a float64 CPU array.</summary>
    public double[,,] ToOriginal(Tensor scaled)
    {
        using var original = Dataset.ToOriginalUnits(scaled.cpu()).to(ScalarType.Float64);
        var (n, h, t) = ((int)original.shape[0], (int)original.shape[1], (int)original.shape[2]);
        var flat = original.data<double>().ToArray();
        var result = new double[n, h, t];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    public IReadOnlyDictionary<string, double> Evaluate(string split)
    {
        var part = EvaluationSplit.Pick(split, SplitPart.Train, SplitPart.Validation, SplitPart.Test);
        var (scaled, original) = (new ForecastMetrics(), new ForecastMetrics());
        // The seasonal-naive forecast of the same windows: the floor a forecaster must beat (test split only).
        var season = split == "test" ? _settings.Data.Season : 0;
        var (naiveScaled, naiveOriginal) = (new ForecastMetrics(), new ForecastMetrics());
        using var naivePositions = season > 0 ? SeasonalNaivePositions(_settings.Data.Lookback, season, _settings.Data.Horizon) : null;
        Model.eval();
        using (no_grad())
        {
            foreach (var batch in Dataset.Windows(part, _settings.Data.Horizon, _settings.Data.Stride).Batches(_settings.Train.EvalBatchSize))
            {
                using var scope = NewDisposeScope();
                using (batch)
                {
                    var forecast = Forecast(batch.Inputs.to(_dtype).to(_device)).to(ScalarType.Float32).cpu();
                    scaled.Add(batch.Targets.data<float>().ToArray(), forecast.data<float>().ToArray());
                    var actual = Dataset.ToOriginalUnits(batch.Targets).data<float>().ToArray();
                    original.Add(actual, Dataset.ToOriginalUnits(forecast).to(ScalarType.Float32).data<float>().ToArray());
                    if (season > 0)
                    {
                        var naive = batch.Inputs.index_select(1, naivePositions!).narrow(2, 0, batch.Targets.shape[2]).to(ScalarType.Float32);
                        naiveScaled.Add(batch.Targets.data<float>().ToArray(), naive.data<float>().ToArray());
                        naiveOriginal.Add(actual, Dataset.ToOriginalUnits(naive).to(ScalarType.Float32).data<float>().ToArray());
                    }
                }
            }
        }
        Model.train();
        // The loss first (it ranks checkpoints), then every metric on the scaled and on the original scale.
        return new[] { new KeyValuePair<string, double>("loss", scaled.Mse) }
            .Concat(scaled.ToDictionary("", _scaledNaiveScale))
            .Concat(original.ToDictionary("_original", _naiveScale))
            .Concat(season > 0 ? naiveScaled.ToDictionary("", _scaledNaiveScale).Select(Prefixed) : [])
            .Concat(season > 0 ? naiveOriginal.ToDictionary("_original", _naiveScale).Select(Prefixed) : [])
            .ToDictionary();

        static KeyValuePair<string, double> Prefixed(KeyValuePair<string, double> kv) => new("seasonal_naive_" + kv.Key, kv.Value);
    }

    /// <summary>
    /// The seasonal-naive forecast ŷ_{t+h} = y_{t+h−m·k}, k the smallest whole number of seasons m reaching back into
    /// the lookback: the window positions of the last season, repeated over the horizon (index them on dim 1 of the
    /// inputs [N, L, C] and keep the target columns, which come first).
    /// </summary>
    private static Tensor SeasonalNaivePositions(int lookback, int season, int horizon) =>
        tensor(Enumerable.Range(0, horizon).Select(h => (long)(lookback - season + h % season)).ToArray(), ScalarType.Int64);

    public IReadOnlyDictionary<string, double> FromLoss(double meanLoss) => new Dictionary<string, double> { ["loss"] = meanLoss, ["mse"] = meanLoss };

    private static EttGranularity Granularity(TimeSeriesFrame frame)
    {
        var step = frame.Timestamps[1] - frame.Timestamps[0];
        return step == TimeSpan.FromHours(1) ? EttGranularity.Hourly
            : step == TimeSpan.FromMinutes(15) ? EttGranularity.FifteenMinutes
            : throw new DataException($"{frame.Source}: the Informer split needs hourly or 15-minute rows, found steps of {step}");
    }
}
