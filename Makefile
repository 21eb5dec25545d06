# FHB-bot: `make run` starts everything, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/fhb.tar.gz
TRAINING := $(wildcard data/nlu/*.yml data/stories/*.yml) domain.yml config.yml
export SQLALCHEMY_WARN_20 := 1
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test install model db testtools bench nlu-report lint clean

run: install model db  ## start Rasa, the action server and the channels; open the printed address
	$(BIN)/fhb run

lint: install  ## ruff (check + format --check), mypy, import-linter contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install model testtools lint  ## lint, then the whole suite: rasa validate + rasa test + NLU gate + pytest (unit, integration, e2e, browser), then unit + integration again two years ahead
	scripts/test.sh

testtools:  ## Debian's Chromium (browser tests; no browser download is possible here) and faketime
	scripts/ensure_deb.sh /usr/bin/chromium chromium
	scripts/ensure_deb.sh /usr/bin/faketime faketime

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@py=$$(scripts/python310.sh) && echo "Using $$py" && \
	  { [ -x $(BIN)/python ] || $$py -m venv $(VENV); }
	@mkdir -p var && echo "Installing pinned dependencies (log: var/pip.log) ..."
	@$(BIN)/pip install --disable-pip-version-check -r requirements.txt > var/pip.log 2>&1 \
	  || { tail -30 var/pip.log; echo "pip install failed, see var/pip.log"; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

model: $(MODEL)

$(MODEL): $(TRAINING) | $(VENV)/.installed
	@mkdir -p var && echo "Training the Rasa model (about 4 minutes; log: var/train.log) ..."
	@$(BIN)/rasa train --data data/nlu data/stories --domain domain.yml --config config.yml \
	  --fixed-model-name fhb --out models > var/train.log 2>&1 \
	  || { tail -40 var/train.log; echo "training failed, see var/train.log"; exit 1; }
	@touch $@ && echo "Model ready: $@"

db: install  ## create or upgrade the database and make visit slots from the profile
	$(BIN)/fhb init-db
	$(BIN)/fhb generate-slots

bench: install  ## staff dashboard with 10 000 conversations / 100 000 events, against a naive baseline
	$(BIN)/python scripts/bench_staff.py

nlu-report: install model  ## held-out accuracy and 5-fold cross-validation (slow: trains 5 times)
	scripts/nlu_report.sh

clean:
	rm -rf $(VENV) models var results
