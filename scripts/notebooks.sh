#!/usr/bin/env bash
# Runs the notebooks top to bottom in the real .NET Interactive kernel, headless: dotnet-repl, from the project's tool
# manifest (.config/dotnet-tools.json). Each executed copy must have no error output, at least one image and pass the
# nbformat schema (scripts/check-notebook.py, with Debian's python3-nbformat). Then the same walkthroughs as .NET 10
# file-based apps (notebooks/apps/NAME.cs, generated from the notebooks by scripts/notebook-app.py): each must be
# up to date with its notebook, run with `dotnet run` and write at least one figure.
#   scripts/notebooks.sh                    every notebook and app at CI scale (the budgets below)
#   scripts/notebooks.sh --update           the notebooks' own defaults; outputs written into notebooks/, apps regenerated
#   scripts/notebooks.sh [--update] FILE... only these notebooks (and their apps)
# Executed copies and logs go to runs/notebooks/, the apps' figures to runs/apps/NAME/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RESEARCH_DATA_DIR="${RESEARCH_DATA_DIR:-$root/../shared/data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

update=0
files=()
for arg in "$@"; do
  case "$arg" in
    --update) update=1 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *.ipynb) [ -f "$arg" ] || { echo "notebooks: no such notebook: $arg" >&2; exit 2; }
      files+=("$(realpath --relative-to="$root" "$arg")") ;;
    *) echo "notebooks: not a notebook: $arg (scripts/notebooks.sh --help)" >&2; exit 2 ;;
  esac
done
cd "$root"
[ "${#files[@]}" -gt 0 ] || files=(notebooks/*.ipynb)

# CI scale: each key=value becomes $RESEARCH_NB_key, which the notebook's parameters cell reads (Notebook.Parameter).
ci_budget() {
  case "$(basename "$1" .ipynb)" in
    01-lstm-gate-by-gate) echo "steps=12" ;;
    02-char-language-model) echo "maxSteps=3 hiddenSize=16 bptt=16 batchSize=8 sampleLength=30" ;;
    03-forecasting) echo "airlineEpochs=2 ettSteps=3 salesEpochs=2" ;;
    04-compare-runs) echo "fallbackEpochs=1" ;;
  esac
}

python=/usr/bin/python3 # Debian's, which python3-nbformat installs into
if ! "$python" -c 'import nbformat' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "notebooks: installing Debian's python3-nbformat (the nbformat schema check)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-nbformat >/dev/null
  else
    echo "notebooks: error: the schema check needs Debian's python3-nbformat: sudo apt-get install python3-nbformat" >&2
    exit 1
  fi
fi
"$python" scripts/check-notebook.py --self-test

dotnet tool restore >/dev/null
dotnet build experiments/Research.Experiments.csproj -c Release -nologo -v quiet -clp:NoSummary

out=runs/notebooks
mkdir -p "$out"
failed=0
started=$SECONDS
# Runs one notebook from folder $1 (the kernel's working folder; research.csx exists in both the root and notebooks/).
execute() {
  local from="$1" nb="$2" name="$3" raw="$4"
  local vars=("RESEARCH_NB_runsDir=$root/$out/$name-runs")
  if [ "$update" = 0 ]; then
    for kv in $(ci_budget "$nb"); do vars+=("RESEARCH_NB_$kv"); done
  fi
  rm -rf "${out:?}/$name-runs"
  (cd "$from" && env "${vars[@]}" timeout 1200 dotnet repl --run "$root/$nb" --exit-after-run --output-path "$root/$raw") \
    >"$out/$name.log" 2>&1
}

for nb in "${files[@]}"; do
  name="$(basename "$nb" .ipynb)"
  for from in . notebooks; do
    # Every notebook runs from the repository root; the first one also from its own folder, as VS Code runs it.
    if [ "$from" = notebooks ] && { [ "$update" = 1 ] || [ "$nb" != "${files[0]}" ]; }; then continue; fi
    raw="$out/$name.repl.ipynb"
    rm -f "$raw"
    t0=$SECONDS
    rc=0
    execute "$from" "$nb" "$name" "$raw" || rc=$?
    echo "notebooks: $nb (kernel started in $from/): dotnet-repl exit $rc in $((SECONDS - t0)) s"
    if [ ! -f "$raw" ]; then
      echo "notebooks: $nb: no executed copy; the kernel said:" && tail -n 20 "$out/$name.log"
      failed=$((failed + 1)) && continue
    fi
    if ! "$python" scripts/check-notebook.py "$nb" "$raw" "$out/$name.ipynb" || [ "$rc" != 0 ]; then
      failed=$((failed + 1)) && continue
    fi
    if [ "$update" = 1 ]; then
      cp "$out/$name.ipynb" "$nb" && echo "notebooks: outputs written into $nb"
    fi
  done
done
# The file-based apps: regenerated (--update) or checked against their notebooks, then run at CI scale.
mkdir -p "$out/apps"
for nb in "${files[@]}"; do
  name="$(basename "$nb" .ipynb)"
  app="notebooks/apps/$name.cs"
  "$python" scripts/notebook-app.py "$nb" >"$out/apps/$name.cs"
  if [ "$update" = 1 ]; then
    cp "$out/apps/$name.cs" "$app" && echo "notebooks: $app regenerated"
    continue
  fi
  if ! diff -u "$app" "$out/apps/$name.cs" >"$out/apps/$name.diff" 2>&1; then
    echo "notebooks: $app is not the notebook's walkthrough any more (scripts/notebooks.sh --update regenerates it):"
    head -n 20 "$out/apps/$name.diff"
    failed=$((failed + 1)) && continue
  fi
  vars=("RESEARCH_NB_runsDir=$root/$out/$name-app-runs")
  for kv in $(ci_budget "$nb"); do vars+=("RESEARCH_NB_$kv"); done
  rm -rf "${out:?}/$name-app-runs" "runs/apps/$name"
  t0=$SECONDS
  rc=0
  env "${vars[@]}" timeout 1200 dotnet run -c Release "$app" >"$out/apps/$name.log" 2>&1 || rc=$?
  figures=$(find "runs/apps/$name" -name 'figure-*.png' 2>/dev/null | wc -l)
  echo "notebooks: dotnet run $app: exit $rc in $((SECONDS - t0)) s, $figures figures in runs/apps/$name/"
  if [ "$rc" != 0 ] || [ "$figures" = 0 ]; then
    tail -n 20 "$out/apps/$name.log"
    failed=$((failed + 1))
  fi
done
echo "notebooks: ${#files[@]} notebooks and their apps, $failed failed, $((SECONDS - started)) s"
[ "$failed" = 0 ]
