using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OnnxInference;

/// <summary>Forecasters: the last lookback rows of a CSV's input columns, in the data's units, to the forecast.</summary>
public static class Forecasting
{
    public static void Forecast(InferenceSession session, ModelDescription description, Options options, TextWriter stdout)
    {
        if (options.Csv is null)
            throw new ArgumentException("a forecaster reads its window from --csv FILE (a header row naming the input columns)");
        if (!File.Exists(options.Csv))
            throw new ArgumentException($"{options.Csv}: no such file");
        var lines = File.ReadAllLines(options.Csv).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToList();
        var columns = description.InputColumns.Select(c => header.IndexOf(c) is var i and >= 0 ? i
            : throw new ArgumentException($"{options.Csv}: no column '{c}' (the model reads {string.Join(", ", description.InputColumns)})")).ToList();
        var lookback = description.Lookback;
        if (lines.Count - 1 < lookback)
            throw new ArgumentException($"{options.Csv}: {lines.Count - 1} rows, the model reads {lookback}");
        var window = new DenseTensor<float>([1, lookback, columns.Count]);
        var rows = lines.Skip(lines.Count - lookback).Select(l => l.Split(',')).ToList();
        for (var t = 0; t < lookback; t++)
        {
            for (var f = 0; f < columns.Count; f++)
                window[0, t, f] = float.Parse(rows[t][columns[f]].Trim('"'), CultureInfo.InvariantCulture);
        }
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("window", window)]);
        var forecast = results.First(r => r.Name == "forecast").AsTensor<float>();
        stdout.WriteLine($"step,{string.Join(',', description.TargetColumns)}");
        for (var h = 0; h < forecast.Dimensions[1]; h++)
            stdout.WriteLine($"{h + 1},{string.Join(',', Enumerable.Range(0, forecast.Dimensions[2]).Select(c => forecast[0, h, c].ToString("R", CultureInfo.InvariantCulture)))}");
    }
}
