using System.Globalization;
using Microsoft.Data.Analysis;

namespace Research.Data.TimeSeries;

/// <summary>
/// A Microsoft.Data.Analysis <see cref="DataFrame"/> to a <see cref="TimeSeriesFrame"/> and back, for notebooks and C#
/// scripts (Darts' TimeSeries.from_dataframe). The time column may hold DateTime values or text read with the
/// options' formats, or be absent (the rows are the index); value columns may be any numeric type. The same options
/// as a file apply, so a null cell or a missing step is handled (or reported, naming the row) as for a CSV file.
/// </summary>
public static class DataFrameSeries
{
    public static TimeSeriesFrame ToSeries(DataFrame frame, TimeSeriesCsvOptions options, string source = "DataFrame")
    {
        ArgumentNullException.ThrowIfNull(frame);
        var names = frame.Columns.Select(c => c.Name).ToArray();
        var rows = checked((int)frame.Rows.Count);
        if (rows == 0)
            throw DataException.In(source, "has no rows");
        var timeColumn = options.TimeColumn is { } time ? frame.Columns[IndexOf(names, time, source)] : null;
        var valueColumns = options.ValueColumns?.ToArray() ?? [.. names.Where(n => n != options.TimeColumn)];
        if (valueColumns.Length == 0)
            throw DataException.In(source, $"no value columns besides the time column '{options.TimeColumn}'");
        var columns = valueColumns.Select(n => frame.Columns[IndexOf(names, n, source)]).ToArray();
        var allowEmpty = options.AllowMissingValues || options.FillMissing is FillMissing.Forward or FillMissing.Linear;

        var timestamps = new DateTime[rows];
        var format = new TimestampFormat(options.TimeFormats, options.TwoDigitYearStart);
        for (var r = 0; r < rows; r++)
        {
            timestamps[r] = timeColumn is null
                ? (options.Frequency ?? throw DataException.In(source, "has no time column, so the rows are the time index: give the step between rows with Frequency")).Advance(options.Start, r)
                : Timestamp(timeColumn, r, format, source);
            if (r > 0 && timestamps[r] <= timestamps[r - 1])
            {
                throw DataException.In(source, $"row {r}: column '{timeColumn!.Name}': {TimestampFormat.Show(timestamps[r])} does not come after " +
                    $"{TimestampFormat.Show(timestamps[r - 1])} in row {r - 1}; the time column must be strictly increasing");
            }
        }
        var values = new double[rows * columns.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            var column = columns[j];
            if (!IsNumeric(column.DataType))
                throw DataException.In(source, $"column '{column.Name}' holds {column.DataType.Name}, not numbers");
            for (var r = 0; r < rows; r++)
            {
                var value = column[r] is { } cell ? Convert.ToDouble(cell, CultureInfo.InvariantCulture) : double.NaN;
                if (!double.IsFinite(value) && !(allowEmpty && double.IsNaN(value)))
                    throw DataException.In(source, $"row {r}: column '{column.Name}': {(column[r] is null ? "empty (null) cell" : $"{value} is not a finite number")}");
                values[(r * columns.Length) + j] = value;
            }
        }
        var places = new RowPlaces(r => $"{source} row {r}", r => $"row {r}", c => $"column '{valueColumns[c]}'",
            timeColumn is null ? "row index" : $"column '{timeColumn.Name}'");
        return MissingSteps.Apply(TimeSeriesFrame.Wrap(source, timestamps, valueColumns, values), options.FillMissing, options.Frequency, places);
    }

    /// <summary>A DataFrame with a DateTime column <paramref name="timeColumn"/> and one double column per series column.</summary>
    public static DataFrame ToDataFrame(TimeSeriesFrame series, string timeColumn = "time")
    {
        var columns = new List<DataFrameColumn> { new PrimitiveDataFrameColumn<DateTime>(timeColumn, series.Timestamps.ToArray()) };
        for (var c = 0; c < series.ColumnCount; c++)
            columns.Add(new DoubleDataFrameColumn(series.ColumnNames[c], series.Column(series.ColumnNames[c])));
        return new DataFrame(columns);
    }

    private static DateTime Timestamp(DataFrameColumn column, int row, TimestampFormat format, string source) => column[row] switch
    {
        DateTime t => t,
        DateTimeOffset t => t.DateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        string text when format.TryParse(text, out var t) => t,
        string text => throw DataException.In(source, $"row {row}: column '{column.Name}': cannot read '{text}' as a timestamp ({format.Describe()})"),
        null => throw DataException.In(source, $"row {row}: column '{column.Name}': empty timestamp"),
        var other => throw DataException.In(source, $"column '{column.Name}' holds {other.GetType().Name}, not times"),
    };

    private static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(int) || type == typeof(long)
        || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);

    private static int IndexOf(string[] names, string name, string source)
    {
        var index = Array.IndexOf(names, name);
        return index >= 0 ? index : throw DataException.In(source, ColumnNameSuggestion.UnknownColumn(name, names));
    }
}
