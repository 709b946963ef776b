using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Research.Experiments.Config;

/// <summary>
/// Remembers where the last good YAML event ended: some malformed input makes YamlDotNet's scanner throw a bare
/// InvalidOperationException with no position, and the user still needs a line to look at.
/// </summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    public Mark LastGoodEnd { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (inner.Current is { } current)
            LastGoodEnd = current.End;
        return inner.MoveNext();
    }
}
