using Spectre.Console;
using Spectre.Console.Rendering;

namespace Research.Experiments.Logging;

/// <summary>A progress column showing the live metrics; last in the row so a narrow terminal cuts it, not the bar.</summary>
internal sealed class MetricsColumn : ProgressColumn
{
    private volatile string _text = "";

    /// <summary>Set by the training thread, read by Spectre's refresh thread (a reference swap, so no lock).</summary>
    public string Text
    {
        get => _text;
        set => _text = value;
    }

    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(_text) { Overflow = Overflow.Ellipsis };
}
