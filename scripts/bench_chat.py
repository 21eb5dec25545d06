"""Benchmark: many people chatting at once, through the whole stack and two baselines.

Run with `make bench-chat` (or `.venv/bin/python scripts/bench_chat.py [--levels 1,10]`).
For each level N (default 1, 10, 50 and 200) N simulated people chat at the same time
(asyncio + aiohttp), and every HTTP call is timed (wall time, `time.perf_counter`):

- web: the full stack as a citizen meets it: `fhb serve` (web chat JSON API) -> Rasa -> the
  action server -> SQLite. Each person opens a session, starts the chat, says hello, asks two
  questions, asks for a visit, types name, birth year, address and phone in one message,
  presses one of the times offered (a different one for each person, as people choose) and
  confirms with "Ja" (another time when theirs was taken, at most six tries).
- web2: the same with two Rasa processes (and two action servers) on a shared PostgreSQL
  tracker store and a Redis lock store (`--postgres`, `--redis`), each conversation routed
  to one of them by the channel server.
- rest: the same messages and button payloads posted straight to Rasa's REST webhook: the
  same model and action server (databases of its own), without the channel server.
- init: the `rasa init` demo bot (moodbot, English, in-memory tracker store, no action
  server), ten short messages a conversation; the model is trained once into
  var/bench/rasa-init and reused.

Each pipeline gets its own servers and temp directory (own visit and tracker databases, an
always-open copy of data/kommune.yml with enough visitors for every booking), started before
its first level and stopped after its last; one conversation before the first level warms
it up and is not counted. Peak memory is each process's VmHWM at the end of its pipeline.
With `--postgres` every pipeline of ours keeps its trackers there (a fresh database each);
`--model` serves another model (to compare configurations in one run).
A message fails when the status is not 200, when the answer is the channel's apology (503,
"vet ikke sikkert") or when no bot text comes back. Bookings are the visits a level added
to the visit database; double bookings are slots with more than one visit that is not
cancelled. The report is printed and written to var/bench/chat.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchchat.measure import Run
from benchchat.pipelines import PIPELINES, run_interleaved
from benchchat.report import report

from fhb.settings import ROOT

MODEL = ROOT / "models" / "fhb.tar.gz"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--levels", default="1,10,50,200", help="concurrent conversations, comma-separated"
    )
    parser.add_argument(
        "--pipelines",
        default="web,web2,rest,init",
        help="a subset of " + ",".join(PIPELINES),
    )
    parser.add_argument("--relay-timeout", type=float, default=10.0, help="FHB_RELAY_TIMEOUT")
    parser.add_argument("--model", type=Path, default=MODEL, help="the Rasa model to serve")
    parser.add_argument(
        "--model-b", type=Path, default=None, help="another model, served by the rest-b pipeline"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("FHB_TEST_POSTGRES_URL", ""),
        help="tracker store on this PostgreSQL (a fresh database per pipeline); else SQLite",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("FHB_TEST_REDIS_URL", ""),
        help="Rasa's lock store on this Redis; else in memory",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a person pauses before each message (0.5-1.5 times this); "
        "0: the next message the moment the answer arrives",
    )
    parser.add_argument(
        "--solo-rounds",
        type=int,
        default=5,
        help="level 1: this many single conversations, one after the other",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="run each level this many times per pipeline, the pipelines taking turns "
        "(the machine's speed drifts: more repeats, steadier ratios)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "chat.md")
    args = parser.parse_args(argv)
    args.levels = [int(n) for n in args.levels.split(",") if n.strip()]
    args.pipelines = [p.strip() for p in args.pipelines.split(",") if p.strip()]
    unknown = set(args.pipelines) - set(PIPELINES)
    if unknown or not args.pipelines or not args.levels or min(args.levels) < 1:
        parser.error(
            "--pipelines is a subset of web,web2,rest,rest-b,init; --levels positive numbers"
        )
    if "rest-b" in args.pipelines and not args.model_b:
        parser.error("rest-b needs --model-b")
    if "web2" in args.pipelines and not (args.postgres and args.redis):
        parser.error("web2 (two Rasa processes) needs --postgres and --redis")
    return args


def _stop_on_signal(signum: int, frame: object) -> None:
    """SIGTERM stops the servers like Ctrl+C does."""
    raise KeyboardInterrupt


def main() -> int:
    """Run every pipeline at every level, then write the report."""
    args = parse_args()
    if {"web", "web2", "rest"} & set(args.pipelines) and not args.model.exists():
        print("no trained model: run `make model` first", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_signal)
    run = Run(
        levels=args.levels,
        relay_timeout=args.relay_timeout,
        model=args.model,
        model_b=args.model_b,
        postgres=args.postgres,
        redis=args.redis,
        think_s=args.think,
        solo_rounds=max(1, args.solo_rounds),
        repeats=max(1, args.repeats),
    )
    began = time.perf_counter()
    try:
        run_interleaved(run, args.pipelines)
    except KeyboardInterrupt:
        print("[bench] stopped; the servers are down", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"[bench] {e}", file=sys.stderr)
        return 1
    text = report(run, args.pipelines, time.perf_counter() - began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
