namespace Research.Data.TimeSeries;

/// <summary>
/// A regular table of numbers indexed by time: one timestamp per row, named columns, values row-major in double
/// (scaling happens in double as Informer's numpy does; windows convert to float32 at the end).
/// Immutable: every operation returns a new frame, so a split can never write into another split's rows.
/// </summary>
public sealed class TimeSeriesFrame
{
    private readonly DateTime[] timestamps;
    private readonly string[] columnNames;
    private readonly double[] values;

    /// <summary>Copies its inputs. <paramref name="values"/> is row-major: row r, column c at r * columns + c.</summary>
    public TimeSeriesFrame(string source, ReadOnlySpan<DateTime> timestamps, IReadOnlyList<string> columnNames, ReadOnlySpan<double> values)
        : this(source, timestamps.ToArray(), [.. columnNames], values.ToArray())
    {
    }

    private TimeSeriesFrame(string source, DateTime[] timestamps, string[] columnNames, double[] values)
    {
        if (values.Length != (long)timestamps.Length * columnNames.Length)
            throw new ArgumentException($"{values.Length} values do not fill {timestamps.Length} rows x {columnNames.Length} columns.", nameof(values));
        var duplicate = columnNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"column '{duplicate.Key}' appears twice.", nameof(columnNames));
        Source = source;
        this.timestamps = timestamps;
        this.columnNames = columnNames;
        this.values = values;
    }

    /// <summary>Takes ownership of the arrays (no copy): only for code in this assembly that just built them.</summary>
    internal static TimeSeriesFrame Wrap(string source, DateTime[] timestamps, string[] columnNames, double[] values) =>
        new(source, timestamps, columnNames, values);

    /// <summary>Where the data came from (a file path), used in error messages.</summary>
    public string Source { get; }

    public int RowCount => timestamps.Length;

    public int ColumnCount => columnNames.Length;

    public ReadOnlySpan<DateTime> Timestamps => timestamps;

    public IReadOnlyList<string> ColumnNames => columnNames;

    /// <summary>All values, row-major [RowCount, ColumnCount].</summary>
    public ReadOnlySpan<double> Values => values;

    public double this[int row, int column] => values[(row * columnNames.Length) + column];

    public ReadOnlySpan<double> Row(int row) => values.AsSpan(row * columnNames.Length, columnNames.Length);

    /// <summary>The index of a column; an unknown name is a <see cref="DataException"/> that lists the known ones.</summary>
    public int IndexOf(string column)
    {
        var index = Array.IndexOf(columnNames, column);
        if (index < 0)
            throw DataException.In(Source, ColumnNameSuggestion.UnknownColumn(column, columnNames));
        return index;
    }

    public double[] Column(string name)
    {
        var c = IndexOf(name);
        var result = new double[RowCount];
        for (var r = 0; r < result.Length; r++)
            result[r] = values[(r * columnNames.Length) + c];
        return result;
    }

    /// <summary>Rows [start, start + count).</summary>
    public TimeSeriesFrame Rows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows [{start}, {start + count}) are outside the {RowCount} rows of {Source}.");
        return new(Source, timestamps[start..(start + count)], columnNames,
            values[(start * ColumnCount)..((start + count) * ColumnCount)]);
    }

    /// <summary>The named columns, in the order given.</summary>
    public TimeSeriesFrame SelectColumns(IReadOnlyList<string> names)
    {
        var indices = names.Select(IndexOf).ToArray();
        var result = new double[RowCount * indices.Length];
        for (var r = 0; r < RowCount; r++)
        {
            for (var j = 0; j < indices.Length; j++)
                result[(r * indices.Length) + j] = values[(r * ColumnCount) + indices[j]];
        }
        return new(Source, timestamps, [.. names], result);
    }

    /// <summary>This frame's columns followed by <paramref name="other"/>'s; both must have the same timestamps.</summary>
    public TimeSeriesFrame AppendColumns(TimeSeriesFrame other)
    {
        if (!timestamps.AsSpan().SequenceEqual(other.Timestamps))
            throw new ArgumentException($"cannot append columns from {other.Source}: its timestamps differ from those of {Source}.", nameof(other));
        var width = ColumnCount + other.ColumnCount;
        var result = new double[RowCount * width];
        for (var r = 0; r < RowCount; r++)
        {
            Row(r).CopyTo(result.AsSpan(r * width));
            other.Row(r).CopyTo(result.AsSpan((r * width) + ColumnCount));
        }
        return new(Source, timestamps, [.. columnNames, .. other.ColumnNames], result);
    }
}
