# FHB-bot: `make run` starts everything, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/fhb.tar.gz
SPACY_NB := var/spacy/nb_fhb
TRAINING := $(wildcard data/nlu/*.yml data/stories/*.yml) domain.yml config.yml
export SQLALCHEMY_WARN_20 := 1
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test install model spacy db testtools bench bench-chat bench-rules nlu-report nlu-compare lint clean

run: install model db  ## start Rasa, the action server and the channels; open the printed address
	$(BIN)/fhb run

lint: install  ## ruff (check + format --check), mypy, import-linter contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install testtools  ## the whole suite: lint, unit + integration (also two years ahead) while the model trains, then rasa validate + rasa test + NLU gate + e2e, browser and simulated users
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

spacy: $(SPACY_NB)/meta.json  ## the blank nb spaCy pipeline with Norsk Ordbank lemmas (config.yml's SpacyNLP)

$(SPACY_NB)/meta.json: scripts/build_spacy_nb.py | $(VENV)/.installed
	@mkdir -p var && echo "Building the spaCy pipeline $(SPACY_NB) (log: var/spacy-build.log) ..."
	@$(BIN)/python scripts/build_spacy_nb.py $(SPACY_NB) > var/spacy-build.log 2>&1 \
	  || { tail -20 var/spacy-build.log; echo "spaCy build failed, see var/spacy-build.log"; exit 1; }
	@tail -1 var/spacy-build.log

$(MODEL): $(TRAINING) $(SPACY_NB)/meta.json | $(VENV)/.installed
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

bench-chat: install model  ## 1, 10, 50 and 200 people chatting at once: web chat (one and two Rasa processes) against Rasa REST alone and the `rasa init` demo bot (slow; report in var/bench/chat.md)
	$(BIN)/python scripts/bench_chat.py \
	  --postgres "$${FHB_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
	  --redis "$${FHB_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"

bench-rules: install  ## RulePolicy's prediction at every action of the test stories: Rasa's own against bot/rule_matching.py (report in var/bench/rules.md)
	$(BIN)/python scripts/bench_rules.py

nlu-report: install model  ## held-out accuracy and 5-fold cross-validation (slow: trains 5 times)
	scripts/nlu_report.sh

nlu-compare: install $(SPACY_NB)/meta.json  ## config.yml against config-*.yml in one run: 5-fold CV, held-out set, training time (slow: 12 trainings); report in var/reports/
	nice -n 10 $(BIN)/python scripts/compare_pipelines.py

clean:
	rm -rf $(VENV) models var results
