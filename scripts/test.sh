#!/usr/bin/env bash
# The whole suite (called by `make test`, which has installed the venv and trained the model):
# rasa data validate, Rasa conversation tests, held-out NLU accuracy, pytest, and pytest's unit
# and integration tests once more with the system clock two years ahead (no logic may read it).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=var/test-results
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_WARN_20=1 PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=2
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }
quiet() {  # run a noisy command with its log in a file; show the log's end on failure
  local log="$1"; shift
  if ! "$@" > "$log" 2>&1; then tail -60 "$log"; echo "FAILED: $* (log: $log)"; return 1; fi
}

step "1/5 rasa data validate"
quiet "$OUT/validate.log" $BIN/rasa data validate --data data/nlu data/stories \
  --domain domain.yml --config config.yml
echo "data, domain and config are valid"

step "2/5 conversation tests: rasa test --fail-on-prediction-errors (tests/test_stories.yml)"
rm -rf "$OUT/core"
quiet "$OUT/core.log" $BIN/rasa test core --model models/fhb.tar.gz \
  --stories tests/test_stories.yml --fail-on-prediction-errors --out "$OUT/core"
grep -hE "Correct:|Finished evaluation" "$OUT/core.log" | tail -3 || true

step "3/5 NLU on the held-out set (tests/nlu/test_nlu.yml, never used for training)"
rm -rf "$OUT/nlu"
quiet "$OUT/nlu.log" $BIN/rasa test nlu --model models/fhb.tar.gz \
  --nlu tests/nlu/test_nlu.yml --out "$OUT/nlu"
$BIN/python scripts/nlu_gate.py "$OUT/nlu/intent_report.json" --min-accuracy 0.88

step "4/5 pytest: unit, integration (SQLite, PostgreSQL), end-to-end"
$BIN/pytest -p no:cacheprovider -o junit_family=xunit2 --junitxml="$OUT/pytest.xml" tests

step "5/5 pytest unit + integration again, the system clock two years ahead (faketime)"
# Every "now" is injected, so nothing may change when the wall clock moves on.
faketime -f "+730d" $BIN/pytest -p no:cacheprovider -q tests/unit tests/integration
