using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace OnnxInference;

/// <summary>
/// Samples text from an exported language model, or forecasts with an exported forecaster, through ONNX Runtime alone.
/// model.json beside model.onnx supplies the vocabulary or the column names (docs/interop.md).
/// <code>
///   OnnxInference MODEL.onnx [--prompt TEXT] [--length N] [--temperature T] [--seed S]   language model
///   OnnxInference MODEL.onnx --csv FILE                                                 forecaster
/// </code>
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var options = Options.Parse(args);
            using var session = new InferenceSession(options.Model);
            var description = ModelDescription.Read(options.Model);
            if (session.InputMetadata.ContainsKey("tokens"))
                TextSampling.Sample(session, description, options, stdout);
            else
                Forecasting.Forecast(session, description, options, stdout);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or JsonException or OnnxRuntimeException)
        {
            stderr.WriteLine($"OnnxInference: error: {e.Message.Split('\n')[0]}");
            return 2;
        }
    }
}
