namespace Research.Data.TimeSeries;

/// <summary>The two ETT sampling rates: ETTh1/ETTh2 (hourly) and ETTm1/ETTm2 (every 15 minutes).</summary>
public enum EttGranularity
{
    Hourly,
    FifteenMinutes,
}
