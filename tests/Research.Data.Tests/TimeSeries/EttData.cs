using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

/// <summary>The real series, loaded once per test run (ETTm1 is 10 MB).</summary>
public static class EttData
{
    public static readonly string[] Channels = ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"];

    private static readonly Lazy<TimeSeriesFrame> Hourly = new(() => Load("ETTh1.csv"));
    private static readonly Lazy<TimeSeriesFrame> Minutes = new(() => Load("ETTm1.csv"));

    public static TimeSeriesFrame Etth1 => Hourly.Value;

    public static TimeSeriesFrame Ettm1 => Minutes.Value;

    public static TimeSeriesFrame Airline() =>
        TimeSeriesCsv.Load(SharedData.Path("airline-passengers", "airline-passengers.csv"), new TimeSeriesCsvOptions { TimeColumn = "Month" });

    private static TimeSeriesFrame Load(string file) =>
        TimeSeriesCsv.Load(SharedData.Path("ett", file), new TimeSeriesCsvOptions { TimeColumn = "date" });
}
