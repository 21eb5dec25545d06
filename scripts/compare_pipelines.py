"""Compare NLU pipelines in one run: 5-fold cross-validation, the held-out set, training time.

`make nlu-compare` runs it on config.yml and every config-*.yml (or the configs named on the
command line). All of them see one snapshot of data/nlu, tests/nlu/test_nlu.yml and domain.yml,
taken at the start (others may be editing the data meanwhile), and the same cross-validation
folds (numpy's generator is seeded before Rasa draws them; the report says whether they were
the same). Rasa's training cache is off, so every training starts from nothing.

Slow: per pipeline five trainings for cross-validation and one on all of data/nlu. The
report goes to var/reports/nlu-compare-<time>.md and var/reports/nlu-compare.md; Rasa's own
reports stay in var/nlu-compare/.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from fhb.clock import system_clock

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "nlu-compare"
REPORTS = ROOT / "var" / "reports"
FOLDS = 5
SEED = 42
ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "RASA_MAX_CACHE_SIZE": "0",  # no training cache: each training is timed from nothing
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


def run(command: list[str], log: Path) -> tuple[float, float]:
    """Run a command with its output in `log`; return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with log.open("w") as out:
        result = subprocess.run(
            command, cwd=ROOT, env={**os.environ, **ENV}, stdout=out, stderr=subprocess.STDOUT
        )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        raise RuntimeError(f"{' '.join(command)} failed (log {log}):\n" + "\n".join(tail))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def snapshot(out: Path) -> dict[str, Any]:
    """Copy the NLU data, the held-out set and the domain; describe where they come from."""
    shutil.copytree(ROOT / "data" / "nlu", out / "nlu")
    shutil.copy(ROOT / "tests" / "nlu" / "test_nlu.yml", out / "test_nlu.yml")
    shutil.copy(ROOT / "domain.yml", out / "domain.yml")
    digest = hashlib.sha256()
    for path in sorted((out / "nlu").glob("*.yml")) + [out / "test_nlu.yml"]:
        digest.update(path.read_bytes())

    def git(*args: str) -> str:
        """Git's answer in the project, stripped."""
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed": git("status", "--porcelain", "--", "data/nlu", "tests/nlu", "domain.yml"),
        "sha256": digest.hexdigest()[:12],
    }


def evaluate(config: Path, snap: Path) -> dict[str, Any]:
    """Cross-validate, train on all of data/nlu, test on the held-out set; collect figures."""
    out = WORK / config.stem
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    print(f"== {config.name}: {FOLDS}-fold cross-validation", flush=True)
    cv_wall, cv_cpu = run(
        [str(BIN / "python"), __file__, "cv", str(config), str(snap), str(out / "cv")],
        out / "cv.log",
    )
    print(f"== {config.name}: training on data/nlu, then the held-out set", flush=True)
    train_wall, train_cpu = run(
        [
            str(BIN / "rasa"), "train", "nlu", "--config", str(config),
            "--nlu", str(snap / "nlu"), "--domain", str(snap / "domain.yml"),
            "--out", str(out), "--fixed-model-name", "nlu",
        ],
        out / "train.log",
    )  # fmt: skip
    run(
        [
            str(BIN / "rasa"), "test", "nlu", "--model", str(out / "nlu.tar.gz"),
            "--nlu", str(snap / "test_nlu.yml"), "--out", str(out / "held-out"),
        ],
        out / "held-out.log",
    )  # fmt: skip
    cv = json.loads((out / "cv" / "summary.json").read_text())
    cv_intents = json.loads((out / "cv" / "intent_report.json").read_text())
    held_out = json.loads((out / "held-out" / "intent_report.json").read_text())
    errors_file = out / "held-out" / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    return {
        "config": config.name,
        "tokenizer": pipeline_summary(config),
        "cv": cv,
        "cv_macro_f1": cv_intents["macro avg"]["f1-score"],
        "cv_weakest": weakest(cv_intents),
        "held_out_accuracy": held_out["accuracy"],
        "held_out_n": held_out["macro avg"]["support"],
        "held_out_errors": len(errors),
        "max_error_confidence": max(
            (e["intent_prediction"]["confidence"] for e in errors), default=0.0
        ),
        "train_wall": train_wall,
        "train_cpu": train_cpu,
        "cv_wall": cv_wall,
        "cv_cpu": cv_cpu,
    }


def pipeline_summary(config: Path) -> str:
    """The tokenizer and whether word features use lemmas, from the config."""
    import yaml

    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    names = [c["name"] for c in pipeline]
    tokenizer = next((n for n in names if n.endswith("Tokenizer")), "?")
    lemmas = any(c["name"] == "CountVectorsFeaturizer" and c.get("use_lemma") for c in pipeline)
    return tokenizer + (", word lemmas" if lemmas else "")


def weakest(report: dict[str, Any], count: int = 5) -> list[tuple[str, float]]:
    """The intents with the lowest F1 in a Rasa intent report."""
    rows = [
        (name, row["f1-score"])
        for name, row in report.items()
        if isinstance(row, dict) and "support" in row and not name.endswith(" avg")
    ]
    return sorted(rows, key=lambda row: row[1])[:count]


def cross_validate(config: str, snap: Path, out: Path) -> None:
    """Rasa's cross-validation with seeded folds; per-fold figures go to summary.json."""
    import numpy as np
    import rasa.nlu.test as nlu_test
    from rasa.shared.importers.importer import TrainingDataImporter

    folds: list[str] = []
    generate_folds = nlu_test.generate_folds

    def fingerprinted_folds(n: int, data: Any) -> Iterator[Any]:
        """Rasa's folds, with a fingerprint of each test fold for the report."""
        for train, test in generate_folds(n, data):
            texts = sorted(example.get("text") for example in test.intent_examples)
            folds.append(hashlib.sha256("\n".join(texts).encode()).hexdigest()[:8])
            yield train, test

    nlu_test.generate_folds = fingerprinted_folds
    importer = TrainingDataImporter.load_from_dict(
        training_data_paths=[str(snap / "nlu")], domain_path=str(snap / "domain.yml")
    )
    data = importer.get_nlu_data()
    np.random.seed(SEED)  # StratifiedKFold(shuffle=True) draws from numpy's global generator
    intents, entities, responses = asyncio.run(
        nlu_test.cross_validate(
            data, FOLDS, os.path.abspath(config), str(out), errors=True, disable_plotting=True
        )
    )
    summary = {
        "examples": len(data.intent_examples),
        "intents": len(data.intents),
        "folds": folds,
        "intent": intents.test,
        "entities": {name: dict(metrics) for name, metrics in entities.test.items()},
        "responses": responses.test,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))


def mean_sd(values: list[float]) -> str:
    """Mean ± standard deviation over folds."""
    if not values:
        return "n/a"
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return f"{mean:.3f} ± {sd:.3f}"


def report(results: list[dict[str, Any]], source: dict[str, Any], started: datetime) -> str:
    """The markdown report."""
    first = results[0]["cv"]
    same_folds = all(r["cv"]["folds"] == first["folds"] for r in results)
    lines = [
        f"# NLU pipelines compared ({started:%Y-%m-%d %H:%M})",
        "",
        f"Data: commit {source['commit']}"
        + (" with uncommitted changes" if source["changed"] else "")
        + f" (snapshot sha256 {source['sha256']}); {first['examples']} training examples,"
        f" {first['intents']} intents; held-out set {results[0]['held_out_n']} messages."
        f" {FOLDS}-fold cross-validation, the same folds for every pipeline:"
        f" {'yes' if same_folds else 'NO'}. Rasa's training cache off. Machine: {os.cpu_count()}"
        f" cores, load average {os.getloadavg()[0]:.1f} at the end (shared: wall seconds vary,"
        " CPU seconds less).",
        "",
        "| pipeline | CV intent accuracy | CV intent macro F1 | CV entity F1 | CV FAQ response"
        " accuracy | held-out accuracy | held-out errors | max confidence of a held-out error"
        " | training s (wall) | training s (CPU) | CV s (wall, 5 trainings) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        entity_f1 = r["cv"]["entities"].get("DIETClassifier", {}).get("F1-score", [])
        lines.append(
            f"| {r['config']} ({r['tokenizer']}) | {mean_sd(r['cv']['intent']['Accuracy'])}"
            f" | {r['cv_macro_f1']:.3f} | {mean_sd(entity_f1)}"
            f" | {mean_sd(r['cv']['responses'].get('Accuracy', []))}"
            f" | {r['held_out_accuracy']:.3f} | {r['held_out_errors']}"
            f" | {r['max_error_confidence']:.3f} | {r['train_wall']:.0f} | {r['train_cpu']:.0f}"
            f" | {r['cv_wall']:.0f} |"
        )
    lines += [
        "",
        "CV accuracy, entity F1 and response accuracy: mean ± sd over the folds (entity F1 is"
        " Rasa's weighted F1 of DIET's entities); CV macro F1: all folds' predictions together."
        " Training: `rasa train nlu` on all of data/nlu, process start to saved model.",
        "",
        "Weakest intents under cross-validation (F1):",
        "",
    ]
    for r in results:
        weak = ", ".join(f"{name} {f1:.2f}" for name, f1 in r["cv_weakest"])
        lines.append(f"- {r['config']}: {weak}")
    return "\n".join(lines) + "\n"


def compare(configs: list[Path]) -> None:
    """Evaluate every config on one snapshot of the data and write the report."""
    started = system_clock()  # the one wall-clock reader (fhb.clock)
    shutil.rmtree(WORK, ignore_errors=True)
    snap = WORK / "data"
    snap.mkdir(parents=True)
    source = snapshot(snap)
    results = [evaluate(config, snap) for config in configs]
    text = report(results, source, started)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"nlu-compare-{started:%Y%m%d-%H%M}.md").write_text(text)
    (REPORTS / "nlu-compare.md").write_text(text)
    print(text)


def main() -> int:
    """Compare the configs named (default: config.yml and config-*.yml)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("compare").add_argument("configs", nargs="*", type=Path)
    cv = sub.add_parser("cv", help="internal: one pipeline's cross-validation")
    cv.add_argument("config")
    cv.add_argument("snapshot", type=Path)
    cv.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "cv":
        cross_validate(args.config, args.snapshot, args.out)
        return 0
    configs = getattr(args, "configs", None) or [
        ROOT / "config.yml",
        *sorted(ROOT.glob("config-*.yml")),
    ]
    compare([Path(c).resolve() for c in configs])
    return 0


if __name__ == "__main__":
    sys.exit(main())
