using Research.Models.Recurrent;

namespace Research.Models.Tests.Recurrent;

/// <summary>A readable LSTM stack with a fresh <see cref="LstmTrace"/> attached.</summary>
internal static class TracedLstm
{
    public static RecurrentStack Of(RecurrentStack readable)
    {
        readable.Trace = new LstmTrace();
        return readable;
    }
}
