using System.Globalization;

namespace Research.Experiments.Notebooks;

/// <summary>
/// Collects what one cell produces, in order: Console output becomes stream outputs, display(...) display_data. The
/// process's Console is redirected while a cell runs (the code in src/ prints to Console) and restored after it.
/// </summary>
public sealed class CellOutputCapture : IDisposable
{
    private readonly List<DisplayOutput> _outputs = [];
    private readonly StringWriter _stdout = new(CultureInfo.InvariantCulture);
    private readonly StringWriter _stderr = new(CultureInfo.InvariantCulture);
    private readonly TextWriter _syncStdout;
    private readonly TextWriter _syncStderr;
    private readonly TextWriter _previousOut;
    private readonly TextWriter _previousError;
    private readonly TextWriter? _echo;

    /// <param name="echo">Where to mirror printed text live (the terminal of `research notebook run --echo`), or null.</param>
    public CellOutputCapture(TextWriter? echo = null)
    {
        _echo = echo;
        _previousOut = Console.Out;
        _previousError = Console.Error;
        _syncStdout = TextWriter.Synchronized(_stdout);
        _syncStderr = TextWriter.Synchronized(_stderr);
        Console.SetOut(_syncStdout);
        Console.SetError(_syncStderr);
    }

    public void Display(IReadOnlyDictionary<string, string> data)
    {
        FlushStreams();
        _outputs.Add(new DisplayDataOutput(data));
    }

    public void Add(DisplayOutput output)
    {
        FlushStreams();
        _outputs.Add(output);
    }

    /// <summary>The outputs so far, printed text included.</summary>
    public IReadOnlyList<DisplayOutput> Outputs()
    {
        FlushStreams();
        return _outputs;
    }

    public void Dispose()
    {
        FlushStreams();
        Console.SetOut(_previousOut);
        Console.SetError(_previousError);
    }

    private void FlushStreams()
    {
        Flush(_stdout, _syncStdout, "stdout");
        Flush(_stderr, _syncStderr, "stderr");
    }

    /// <param name="gate">The synchronized wrapper other threads write through: it locks on itself.</param>
    private void Flush(StringWriter writer, TextWriter gate, string name)
    {
        string value;
        lock (gate)
        {
            var text = writer.GetStringBuilder();
            if (text.Length == 0)
                return;
            value = text.ToString();
            text.Clear();
        }
        _echo?.Write(value);
        // Consecutive prints are one stream output, as Jupyter merges them.
        if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == name)
            _outputs[^1] = last with { Text = last.Text + value };
        else
            _outputs.Add(new StreamOutput(name, value));
    }
}
