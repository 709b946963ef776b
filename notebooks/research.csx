// What every notebook loads in its first code cell, `#load "research.csx"`: the project's build output and the
// formatters that show ScottPlot plots as PNG pictures and tables as HTML (experiments/Notebooks). `scripts/research`
// builds that output (or: dotnet build experiments/Research.Experiments.csproj -c Release); its TorchSharp folder
// holds the libLibTorchSharp.so that the build patched for Debian 12 (README). Paths are relative to this file.
#r "../experiments/bin/Release/net10.0/TorchSharp.dll"
#r "../experiments/bin/Release/net10.0/ScottPlot.dll"
#r "../experiments/bin/Release/net10.0/Research.Models.dll"
#r "../experiments/bin/Release/net10.0/Research.Data.dll"
#r "../experiments/bin/Release/net10.0/research.dll"

Research.Experiments.Notebooks.Notebook.Start(() => Console.Out, () => Console.Error);
