// What every notebook loads in its first code cell, `#load "research.csx"`: the project's build output and the
// formatters that show ScottPlot plots as PNG pictures and tables as HTML (src/Notebooks). scripts/notebooks.sh
// builds that output (or: dotnet build src/Notebooks/Research.Notebooks.csproj -c Release). Its TorchSharp folder
// holds the libLibTorchSharp.so that the build patched for Debian 12 (README). Paths are relative to this file.
#r "../src/Notebooks/bin/Release/net10.0/TorchSharp.dll"
#r "../src/Notebooks/bin/Release/net10.0/ScottPlot.dll"
#r "../src/Notebooks/bin/Release/net10.0/Research.Models.dll"
#r "../src/Notebooks/bin/Release/net10.0/Research.Data.dll"
#r "../src/Notebooks/bin/Release/net10.0/research.dll"
#r "../src/Notebooks/bin/Release/net10.0/Research.Notebooks.dll"

Research.Notebooks.Notebook.Start();
