using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Research.Experiments.Config;

/// <summary>
/// Follows the YAML events as they are parsed, to say where a load failed: the dotted key being read (YamlDotNet
/// reports a duplicate key without its path) and the end of the last good event (some malformed input makes its
/// scanner throw a bare InvalidOperationException with no position).
/// </summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    /// <summary>One open mapping (the key last read, and whether the next node is a key) or list (the index reached).</summary>
    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectsKey { get; set; } = true;

        public string? Key { get; set; }

        public int Index { get; set; } = -1;
    }

    private readonly List<Frame> _open = [];

    public Mark LastGoodEnd { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    /// <summary>The dotted path of the innermost key read so far, e.g. `model.hidden` or `phases[1].name`.</summary>
    public string KeyPath => string.Concat(_open.Select((f, k) => f.IsMapping ? (k == 0 ? "" : ".") + f.Key : $"[{f.Index}]"));

    public bool MoveNext()
    {
        if (inner.Current is { } current)
        {
            LastGoodEnd = current.End;
            Follow(current);
        }
        return inner.MoveNext();
    }

    private void Follow(ParsingEvent e)
    {
        switch (e)
        {
            case MappingEnd or SequenceEnd:
                _open.RemoveAt(_open.Count - 1);
                return;
            case Scalar or AnchorAlias or MappingStart or SequenceStart:
                if (_open.Count > 0)
                {
                    var parent = _open[^1];
                    if (!parent.IsMapping)
                        parent.Index++;
                    else if (parent.ExpectsKey)
                        parent.Key = e is Scalar s ? s.Value : "?";
                    if (parent.IsMapping)
                        parent.ExpectsKey = !parent.ExpectsKey;
                }
                if (e is MappingStart or SequenceStart)
                    _open.Add(new Frame(e is MappingStart));
                return;
        }
    }
}
