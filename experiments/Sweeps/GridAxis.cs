namespace Research.Experiments.Sweeps;

/// <summary>One `key=value` a sweep file sets, with the line it came from for error messages.</summary>
public sealed record SweepOverride(string Text, int Line)
{
    public string Key => Text[..Text.IndexOf('=', StringComparison.Ordinal)];
}

/// <summary>One value of a grid axis: its label in the manifest and tables, and the overrides it sets (several for a bundle).</summary>
public sealed record AxisValue(string Label, IReadOnlyList<SweepOverride> Overrides, int Line);

/// <summary>
/// One grid axis: a config key and its values (`train.lr: [0.01, 0.1]` or a `range:`), or a named axis of override
/// bundles (`variants: {lstm: {model.cell: lstm, model.hidden_size: 34}, ...}`) whose labels are the bundle names.
/// </summary>
public sealed record GridAxis(string Name, IReadOnlyList<AxisValue> Values, int Line)
{
    /// <summary>Every config key some value of this axis sets.</summary>
    public IEnumerable<string> Keys => Values.SelectMany(v => v.Overrides).Select(o => o.Key).Distinct(StringComparer.Ordinal);
}
