#!/usr/bin/env bash
# The project's test command: build everything (warnings are errors), check formatting, run every test project.
# Tests read the real datasets from $RESEARCH_DATA_DIR, by default ../shared/data beside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export RESEARCH_DATA_DIR="${RESEARCH_DATA_DIR:-$root/../shared/data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build Research.sln -c Release -nologo -clp:NoSummary
dotnet format Research.sln --verify-no-changes --no-restore

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# The Slurm integration test needs a running Slurm: .ci/run starts one (scripts/slurm/start-local-slurm.sh) and sets
# RESEARCH_SLURM_TESTS=1. Without that, its category is left out of the run (so not counted as skipped) and we say so.
# The real-PyTorch interop tests need Debian's python3-torch: .ci/run installs it and sets RESEARCH_PYTORCH_TESTS=1;
# without that, their category is left out the same way (docs/interop.md).
left_out=()
if [ "${RESEARCH_SLURM_TESTS:-}" != "1" ]; then
  left_out+=("Category!=Slurm")
fi
if [ "${RESEARCH_PYTORCH_TESTS:-}" != "1" ]; then
  left_out+=("Category!=PyTorch")
fi
only=()
if [ "${#left_out[@]}" -gt 0 ]; then
  only=(--filter "$(IFS='&'; echo "${left_out[*]}")")
fi
# --blame-crash: a test host that dies (a segfault in libtorch) names the test it was running and leaves a mini dump
# under the test project's TestResults/, instead of only "Test host process crashed".
dotnet test Research.sln -c Release --no-build -nologo --blame-crash --blame-crash-dump-type mini "${only[@]}" "$@" 2>&1 | tee "$log" || status=$?
if [ "${RESEARCH_SLURM_TESTS:-}" != "1" ]; then
  echo "slurm: integration test not run (start scripts/slurm/start-local-slurm.sh, then RESEARCH_SLURM_TESTS=1 scripts/test.sh)"
fi
if [ "${RESEARCH_PYTORCH_TESTS:-}" != "1" ]; then
  echo "pytorch: interop tests not run (apt-get install python3-torch, then RESEARCH_PYTORCH_TESTS=1 scripts/test.sh)"
fi
# One closing line over all test projects, in the plain 'N passed, N failed' form.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
