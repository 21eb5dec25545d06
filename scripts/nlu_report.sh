#!/usr/bin/env bash
# NLU figures for the README: held-out intent accuracy and 5-fold cross-validation macro F1.
# Slow (trains five NLU models); not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=var/nlu-report
export RASA_TELEMETRY_ENABLED=false PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=2
rm -rf "$OUT" && mkdir -p "$OUT"
echo "== held-out set"
$BIN/rasa test nlu --model models/fhb.tar.gz --nlu tests/nlu/test_nlu.yml \
  --out "$OUT/held-out" > "$OUT/held-out.log" 2>&1
$BIN/python scripts/nlu_gate.py "$OUT/held-out/intent_report.json" --min-accuracy 0
echo "== 5-fold cross-validation on data/nlu (trains 5 times)"
$BIN/rasa test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 \
  --out "$OUT/cv" > "$OUT/cv.log" 2>&1
grep -E "Intent evaluation results|test F1-score|test Accuracy|test Precision" "$OUT/cv.log" \
  | sed 's/^.*INFO *//' | head -8
$BIN/python scripts/nlu_gate.py "$OUT/cv/intent_report.json" --min-accuracy 0
