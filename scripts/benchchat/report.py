"""The benchmark's report in Markdown."""

from __future__ import annotations

import math
import os
import subprocess
from collections import Counter
from collections.abc import Sequence

from benchchat.measure import Run
from benchchat.pipelines import PIPELINE_NAMES
from fhb.clock import system_clock
from fhb.settings import ROOT


def git_commit() -> str:
    """The short commit, marked when the working tree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} (with uncommitted changes)" if git("status", "--porcelain") else commit


def measure(run: Run, pipeline: str, level: int, what: str) -> float | None:
    """p50, p95 or msg/s of one pipeline at one level, or None if it did not run."""
    result = next((r for r in run.results if r.pipeline == pipeline and r.level == level), None)
    if result is None:
        return None
    return result.per_second if what == "msg/s" else result.percentile(float(what[1:]) / 100)


def ratio(run: Run, what: str, level: int, pipelines: tuple[str, str]) -> str:
    """`what` of the first pipeline over the second's at `level`, or n/a."""
    a, b = (measure(run, pipeline, level, what) for pipeline in pipelines)
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "n/a"
    return f"{a / b:.2f}"


def level_table(run: Run) -> list[str]:
    """One row per pipeline and level."""
    lines = [
        "| pipeline | conversations | messages | p50 ms | p95 ms | p99 ms | msg/s | failures "
        "| bookings | double bookings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in run.results:
        failures = sum(s.failed for s in r.samples)
        booked = "-" if r.bookings is None else f"{r.bookings} / {sum(r.outcomes.values())}"
        double = "-" if r.double_bookings is None else str(r.double_bookings)
        lines.append(
            f"| {PIPELINE_NAMES[r.pipeline]} | {r.level} | {len(r.samples)} "
            f"| {r.percentile(0.5):.0f} | {r.percentile(0.95):.0f} | {r.percentile(0.99):.0f} "
            f"| {r.per_second:.2f} | {failures} | {booked} | {double} |"
        )
    return lines


def outcome_table(run: Run) -> list[str]:
    """How each booking conversation ended, and how often a time was pressed."""
    kinds = ("booked", "no_times", "taken", "stuck", "error")
    lines = [
        "| pipeline | conversations | " + " | ".join(kinds) + " | times pressed |",
        "| --- | ---: |" + " ---: |" * (len(kinds) + 1),
    ]
    for r in run.results:
        if r.pipeline != "init":
            counts = " | ".join(str(r.outcomes.get(k, 0)) for k in kinds)
            pressed = sum(s.step == "[a time]" for s in r.samples)
            lines.append(f"| {PIPELINE_NAMES[r.pipeline]} | {r.level} | {counts} | {pressed} |")
    return lines


def failure_table(run: Run) -> list[str]:
    """The failed messages by what was sent and why."""
    failed = Counter(
        (r.pipeline, r.level, s.step, s.why) for r in run.results for s in r.samples if s.failed
    )
    if not failed:
        return ["No message failed."]
    lines = [
        "| pipeline | conversations | message | why | count |",
        "| --- | ---: | --- | --- | ---: |",
    ]
    for (pipeline, level, step, why), count in sorted(failed.items()):
        lines.append(f"| {PIPELINE_NAMES[pipeline]} | {level} | {step} | {why} | {count} |")
    return lines


def cpu_table(run: Run) -> list[str]:
    """CPU milliseconds per message of each process, at each level: where a message's
    cost goes, steadier than times on a machine that does other things too."""
    names = sorted({name for r in run.results for name in r.cpu_s}, key=process_order)
    lines = [
        "| pipeline | conversations | " + " | ".join(names) + " | all |",
        "| --- | ---: | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    for r in run.results:
        cells = [f"{r.cpu_ms_per_message(n):.1f}" if n in r.cpu_s else "-" for n in names]
        total = sum(r.cpu_ms_per_message(n) for n in r.cpu_s)
        row = [PIPELINE_NAMES[r.pipeline], str(r.level), *cells, f"{total:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def step_table(run: Run) -> list[str]:
    """At one conversation (nothing else waiting), the median time of each message, by
    pipeline: which messages a conversation's p95 is made of."""
    solo = [r for r in run.results if r.level == 1]
    steps = list(dict.fromkeys(s.step for r in solo for s in r.samples))
    lines = [
        "| message | " + " | ".join(PIPELINE_NAMES[r.pipeline] for r in solo) + " |",
        "| --- | " + " | ".join("---:" for _ in solo) + " |",
    ]
    for step in steps:
        cells = []
        for r in solo:
            times = sorted(s.latency_ms for s in r.samples if s.step == step)
            cells.append(f"{times[len(times) // 2]:.0f}" if times else "")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return lines


def process_order(name: str) -> tuple[int, str]:
    """Rasa first, the simulated people last."""
    order = ("rasa", "actions", "channels", "postgres", "redis")
    first = next((i for i, o in enumerate(order) if name.startswith(o)), len(order))
    return (9 if name == "simulated people" else first, name)


def memory_table(run: Run) -> list[str]:
    """Peak resident memory of every process, read at the end of its pipeline."""
    lines = [
        "| pipeline | process | pid | peak MiB (VmHWM) | CPU s (whole pipeline) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for m in run.memory:
        lines.append(
            f"| {PIPELINE_NAMES[m.pipeline]} | {m.process} | {m.pid} | {m.peak_kib / 1024:.0f} "
            f"| {m.cpu_s:.1f} |"
        )
    totals = Counter[str]()
    for m in run.memory:
        if m.process != "simulated people":  # the servers only
            totals[m.pipeline] += m.peak_kib
    for pipeline, kib in totals.items():
        lines.append(f"| {PIPELINE_NAMES[pipeline]} | **sum of peaks** | | {kib / 1024:.0f} | |")
    return lines


def ratio_lines(run: Run) -> list[str]:
    """The ratios the issue asks for (n/a where a level or pipeline did not run)."""
    lines = [
        "- full stack p95 / `rasa init` p95 at 1 conversation: "
        + ratio(run, "p95", 1, ("web", "init")),
        "- full stack msg/s / `rasa init` msg/s at 50 conversations: "
        + ratio(run, "msg/s", 50, ("web", "init")),
    ]
    for level in run.levels:
        lines.append(
            f"- full stack / Rasa REST alone at {level}: "
            f"p50 {ratio(run, 'p50', level, ('web', 'rest'))}, "
            f"p95 {ratio(run, 'p95', level, ('web', 'rest'))}"
        )
    return lines


def report(run: Run, pipelines: Sequence[str], elapsed_s: float) -> str:
    """The whole report in Markdown."""
    head = [
        "# Chat benchmark: concurrent conversations",
        "",
        f"{system_clock():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; commit {git_commit()}; "
        f"levels {', '.join(map(str, run.levels))}; pipelines {', '.join(pipelines)}; "
        f"FHB_RELAY_TIMEOUT {run.relay_timeout:g} s; "
        + (
            f"each person pauses {run.think_s / 2:g}-{run.think_s * 1.5:g} s before each "
            "message (reading, typing); "
            if run.think_s
            else "each person sends the next message the moment the answer arrives; "
        )
        + f"the run took {elapsed_s / 60:.1f} min.",
        "",
        "Each web chat and REST conversation: start, «Hei», two questions, «Jeg vil gjerne "
        "bestille et besøk», all details in one message, one of the times offered, «Ja». Each "
        "`rasa init` conversation: ten short English messages. Each pipeline has its own "
        "servers (and databases), warmed up by one conversation that is not counted. All "
        "pipelines' servers are up at once and take turns level by level, "
        f"{run.repeats} time(s) each at every level (the order reversed every other time; "
        "the figures are over all of them), so a baseline is measured in the same minutes "
        "as what it is compared with. "
        f"Level 1 is {run.solo_rounds} conversations, one after the other. "
        "Latency is the wall time of each HTTP call; msg/s is all messages of a level over "
        "its wall time. Bookings are the visits the level added to the visit database; everyone "
        "is offered the same first free times, so at high levels many want the same time "
        "(«taken»: six tries, then the person gives up).",
        "",
        "## Per level",
        "",
    ]
    sections = [
        level_table(run),
        ["", "## How the booking conversations ended", ""],
        outcome_table(run),
        ["", "## Failed messages", ""],
        failure_table(run),
        ["", "## Median time of each message at one conversation (ms)", ""],
        step_table(run),
        ["", "## CPU per message (ms), by process", ""],
        [
            "CPU time (user + system) each process spent during a level, over the level's "
            "messages. postgres and redis-server are the machine's servers (the tracker store "
            "and the lock store), all their processes.",
            "",
        ],
        cpu_table(run),
        ["", "## Peak memory per process", ""],
        memory_table(run),
        ["", "## Ratios", ""],
        ratio_lines(run),
    ]
    return "\n".join(head + [line for part in sections for line in part]) + "\n"
