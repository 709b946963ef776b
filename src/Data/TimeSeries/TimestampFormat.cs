using System.Globalization;

namespace Research.Data.TimeSeries;

/// <summary>
/// Exact .NET custom formats for a time column (invariant culture), tried in order, plus the rule for years written
/// without a century: a two-digit (or one-digit, format "y") year is read into the hundred years starting at
/// <see cref="TwoDigitYearStart"/>, so with the default 1950 "49" is 2049 and "50" is 1950, and with 2000 the "1" of
/// "1-01" (format "y-MM") is 2001.
/// </summary>
public sealed class TimestampFormat
{
    public const int DefaultTwoDigitYearStart = 1950;

    /// <summary>ISO-like layouts tried in order when none are given (ETT, the TSDL monthly files).</summary>
    public static IReadOnlyList<string> DefaultFormats { get; } =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd", "yyyy-MM",
    ];

    private readonly string[] _formats;
    private readonly CultureInfo _culture;

    public TimestampFormat(IReadOnlyList<string>? formats = null, int twoDigitYearStart = DefaultTwoDigitYearStart)
    {
        _formats = [.. formats is { Count: > 0 } ? formats : DefaultFormats];
        if (_formats.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("a time format cannot be empty.", nameof(formats));
        ArgumentOutOfRangeException.ThrowIfLessThan(twoDigitYearStart, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(twoDigitYearStart, 9899);
        TwoDigitYearStart = twoDigitYearStart;
        // Set explicitly: the calendar's own default depends on the platform's settings.
        _culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        _culture.DateTimeFormat.Calendar.TwoDigitYearMax = twoDigitYearStart + 99;
    }

    public IReadOnlyList<string> Formats => _formats;

    public int TwoDigitYearStart { get; }

    public bool TryParse(ReadOnlySpan<char> text, out DateTime time) =>
        DateTime.TryParseExact(text.Trim(), _formats, _culture, DateTimeStyles.None, out time);

    /// <summary>"format yyyy-MM" or "one of the formats a, b".</summary>
    public string Describe() => _formats.Length == 1 ? $"format {_formats[0]}" : $"one of the formats {string.Join(", ", _formats)}";

    /// <summary>A timestamp as messages show it: the date alone at midnight, else date and time.</summary>
    public static string Show(DateTime t) =>
        t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
