"""RulePolicy's prediction: Rasa's own against bot.rule_matching, in the same run.

Our RulePolicy is trained here on data/stories (rules only, seconds); every action of the
test stories (tests/test_stories.yml) is predicted from the conversation before it, as a
running server predicts it, by both, taking turns, `--repeats` times. The report
(var/bench/rules.md) gives the time per prediction by conversation length, and the ratio.

Run with `make bench-rules` (or `.venv/bin/python scripts/bench_rules.py [--repeats 5]`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasa.core.policies.rule_policy import RulePolicy  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402

import bot.rule_matching  # noqa: E402, F401 - the patch, as the server has it
from tests.support.rule_policy import (  # noqa: E402
    Point,
    prediction_points,
    rasas_own,
    trained_rule_policy,
)

BUCKETS = ((0, 20), (20, 40), (40, 60), (60, 10_000))


def time_points(policy: RulePolicy, domain: Domain, points: list[Point]) -> list[float]:
    """Seconds of one prediction at each point (a fresh tracker each, as a server loads it)."""
    times = []
    for point in points:
        tracker = point.fresh(domain)
        began = time.perf_counter()
        policy.predict_action_probabilities(tracker, domain)
        times.append(time.perf_counter() - began)
    return times


def report(points: list[Point], own: list[list[float]], ours: list[list[float]]) -> str:
    """The Markdown report: per-prediction times by conversation length, and the ratios."""
    lines = [
        "# RulePolicy: Rasa's own against bot.rule_matching",
        "",
        f"{len(points)} predictions (every action of tests/test_stories.yml), {len(own)} "
        "rounds each, taking turns; per prediction the fastest of its rounds.",
        "",
        "| events in the conversation | predictions | Rasa's own, mean µs | ours, mean µs "
        "| Rasa's own / ours |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    best_own = [min(t) for t in zip(*own, strict=True)]
    best_ours = [min(t) for t in zip(*ours, strict=True)]
    for low, high in (*BUCKETS, (0, 10_000)):
        chosen = [i for i, p in enumerate(points) if low <= len(p.tracker.events) < high]
        if not chosen:
            continue
        a = statistics.fmean(best_own[i] for i in chosen) * 1e6
        b = statistics.fmean(best_ours[i] for i in chosen) * 1e6
        label = "all" if (low, high) == (0, 10_000) else f"{low}-{high - 1}"
        lines.append(f"| {label} | {len(chosen)} | {a:.0f} | {b:.0f} | {a / b:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "rules.md")
    args = parser.parse_args(argv)
    configure_structlog(logging.INFO)  # as the server runs (LOG_LEVEL=INFO): no debug lines
    with tempfile.TemporaryDirectory() as tmp:
        policy, domain = trained_rule_policy(Path(tmp))
    points = prediction_points(domain)
    own: list[list[float]] = []
    ours: list[list[float]] = []
    for repeat in range(args.repeats):
        for is_own in (True, False) if repeat % 2 == 0 else (False, True):
            with rasas_own() if is_own else contextlib.nullcontext():
                (own if is_own else ours).append(time_points(policy, domain, points))
    text = report(points, own, ours)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text + f"\nreport: {args.out}")


if __name__ == "__main__":
    main()
