#!/usr/bin/env bash
# The whole suite (called by `make test`, which has installed the venv and the test tools).
# The model trains in the background while the steps that need no model run: lint, the unit
# and integration tests, and the same again with the system clock two years ahead (no logic
# may read it). Then, with the model: rasa data validate, Rasa's conversation tests, the
# held-out NLU accuracy, and the end-to-end tests and simulated users on the real servers.
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

step "0/6 training the model in the background (log: $OUT/model.log)"
# Training takes minutes and does not need the steps below, nor they it: both run at once.
# The background make is stopped if the suite stops early.
make --no-print-directory model > "$OUT/model.log" 2>&1 &
MODEL_PID=$!
trap 'kill "$MODEL_PID" 2>/dev/null || true' EXIT

step "1/6 make lint: ruff, mypy, import contracts"
make --no-print-directory lint

step "2/6 pytest: unit and integration (SQLite, PostgreSQL, Redis)"
$BIN/pytest -p no:cacheprovider -o junit_family=xunit2 --junitxml="$OUT/pytest-unit-integration.xml" \
  tests/unit tests/integration

step "3/6 pytest unit + integration again, the system clock two years ahead (faketime)"
# Every "now" is injected, so nothing may change when the wall clock moves on.
faketime -f "+730d" $BIN/pytest -p no:cacheprovider -q tests/unit tests/integration

step "4/6 waiting for the model"
if ! wait "$MODEL_PID"; then tail -40 "$OUT/model.log"; echo "FAILED: make model"; exit 1; fi
trap - EXIT
tail -1 "$OUT/model.log"

step "5/6 rasa data validate, conversation tests (tests/test_stories.yml), held-out NLU"
quiet "$OUT/validate.log" $BIN/rasa data validate --data data/nlu data/stories \
  --domain domain.yml --config config.yml
echo "data, domain and config are valid"
rm -rf "$OUT/core"
quiet "$OUT/core.log" $BIN/rasa test core --model models/fhb.tar.gz \
  --stories tests/test_stories.yml --fail-on-prediction-errors --out "$OUT/core"
grep -hE "Correct:|Finished evaluation" "$OUT/core.log" | tail -3 || true
rm -rf "$OUT/nlu"
quiet "$OUT/nlu.log" $BIN/rasa test nlu --model models/fhb.tar.gz \
  --nlu tests/nlu/test_nlu.yml --out "$OUT/nlu"
$BIN/python scripts/nlu_gate.py "$OUT/nlu/intent_report.json" --min-accuracy 0.88

step "6/6 pytest: end-to-end (the real servers, Chromium) and the simulated users"
$BIN/pytest -p no:cacheprovider -o junit_family=xunit2 --junitxml="$OUT/pytest-e2e.xml" \
  tests/e2e tests/conversations
