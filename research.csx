// For a kernel started at the repository root (`dotnet repl --run notebooks/NAME.ipynb` from here): a notebook's
// `#load "research.csx"` then finds this file, which loads the one beside the notebooks.
#load "notebooks/research.csx"
