"""The pipelines: each on servers of its own, all up at once, warmed up; then every level,
each pipeline in turn."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from benchchat.measure import (
    LevelResult,
    PeakMemory,
    Run,
    Sample,
    Target,
    peak_kib,
    peak_memory,
    process_cpu,
    visit_counts,
)
from benchchat.people import Person, one_person
from benchchat.servers import (
    INIT_DIR,
    RASA,
    demo_model,
    fhb_stack,
    free_port,
    start_logged,
    wait_for,
    workdir,
)
from bot.channels.relay import IDLE_CONNECTION_SECONDS
from bot.launcher import stop_servers
from fhb.clock import system_clock

PIPELINES = ("web", "web2", "rest", "rest-b", "init")
PIPELINE_NAMES = {
    "web": "web chat (full stack)",
    "web2": "web chat, 2 Rasa processes",
    "rest": "Rasa REST alone, same model",
    "rest-b": "Rasa REST alone, the --model-b model",
    "init": "`rasa init` demo bot",
}


async def run_level(target: Target, level: int, first: int, rounds: int = 1) -> LevelResult:
    """`level` people at once (numbered from `first`), `rounds` groups of them one after
    the other; time every message."""
    this_year = system_clock().year
    samples: list[Sample] = []
    outcomes: Counter[str] = Counter()
    before = visit_counts(target.database)[0] if target.database else 0
    # aiohttp, as the channel server's relay (httpx: 2.3 ms of CPU a request against 0.5 ms,
    # bot/channels/relay.py): the simulated people share the cores of the servers they
    # measure, so their CPU is taken from the servers'. Idle connections
    # are dropped before the servers close them (a browser sends such a request again by
    # itself; these people do not).
    connector = aiohttp.TCPConnector(limit=level + 10, keepalive_timeout=IDLE_CONNECTION_SECONDS)
    timeout = aiohttp.ClientTimeout(total=target.timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        began = time.perf_counter()
        for group in range(first, first + level * rounds, level):
            outcomes.update(
                await asyncio.gather(
                    *(
                        one_person(target, http, samples, Person.number(n, this_year=this_year))
                        for n in range(group, group + level)
                    )
                )
            )
        wall = time.perf_counter() - began
    result = LevelResult(target.pipeline, level, wall, samples, outcomes)
    if target.database:
        visits, result.double_bookings = visit_counts(target.database)
        result.bookings = visits - before
    return result


@dataclass
class Stage:
    """One pipeline whose servers are up: where its people chat, what to measure, and the
    simulated people's CPU time spent on it so far."""

    target: Target
    processes: dict[str, subprocess.Popen[bytes]]
    services: tuple[str, ...] = ()
    people_cpu_s: float = 0.0
    next_person: int = 0

    @property
    def pipeline(self) -> str:
        """The pipeline's short name."""
        return self.target.pipeline


def measure_level(stage: Stage, run: Run, level: int) -> LevelResult:
    """One level on a stage's servers, with the CPU time each process spent on it."""
    before = process_cpu(stage.processes, stage.services)
    rounds = run.rounds(level)
    result = asyncio.run(run_level(stage.target, level, stage.next_person, rounds))
    after = process_cpu(stage.processes, stage.services)
    result.cpu_s = {name: after[name] - before[name] for name in after}
    stage.people_cpu_s += result.cpu_s["simulated people"]
    stage.next_person += level * rounds
    return result


def merge(into: LevelResult | None, more: LevelResult) -> LevelResult:
    """Two repeats of one pipeline at one level as one result (all their messages)."""
    if into is None:
        return more
    into.samples += more.samples
    into.wall_s += more.wall_s
    into.outcomes.update(more.outcomes)
    into.cpu_s = {k: into.cpu_s.get(k, 0.0) + v for k, v in more.cpu_s.items()}
    if into.bookings is not None and more.bookings is not None:
        into.bookings += more.bookings
    into.double_bookings = more.double_bookings  # counted over the whole database
    return into


def run_interleaved(run: Run, pipelines: Sequence[str]) -> None:
    """Every pipeline's servers up at once; then level by level, each pipeline in turn
    (`run.repeats` times, the order reversed every other time), so that a baseline and the
    pipeline it is compared with are measured in the same minutes: this machine's speed
    drifts by a third within a quarter of an hour."""
    with ExitStack() as stack:
        stages = [stack.enter_context(open_stage(pipeline, run)) for pipeline in pipelines]
        for stage in stages:  # Rasa loads parts of its model on the first message
            asyncio.run(run_level(stage.target, 1, run.people))  # an unused person number
        for level in run.levels:
            merged: dict[str, LevelResult] = {}
            for repeat in range(run.repeats):
                for stage in stages if repeat % 2 == 0 else stages[::-1]:
                    result = measure_level(stage, run, level)
                    merged[stage.pipeline] = merge(merged.get(stage.pipeline), result)
                    print(
                        f"[bench] {stage.pipeline} x{level} ({repeat + 1}/{run.repeats}): "
                        f"{len(result.samples)} messages in {result.wall_s:.1f} s, "
                        f"{sum(s.failed for s in result.samples)} failed, "
                        f"outcomes {dict(result.outcomes)}",
                        flush=True,
                    )
            run.results += [merged[stage.pipeline] for stage in stages]


def open_stage(pipeline: str, run: Run) -> AbstractContextManager[Stage]:
    """The servers of one pipeline, up until the context ends."""
    return open_init(run) if pipeline == "init" else open_fhb(pipeline, run)


@contextmanager
def open_fhb(pipeline: str, run: Run) -> Iterator[Stage]:
    """The web chat or the REST baseline on servers of their own; peak memory at the end."""
    with workdir(pipeline) as tmp:
        print(f"[bench] {pipeline}: starting the servers in {tmp} ...", flush=True)
        with fhb_stack(
            tmp,
            bookings=run.people + 1,
            run=run,
            channels=pipeline.startswith("web"),
            rasa_servers=2 if pipeline == "web2" else 1,
            pipeline=pipeline,
        ) as (settings, processes, web_url):
            target = Target(
                pipeline,
                web_url or settings.rasa_url,
                timeout=run.relay_timeout + 60 if pipeline.startswith("web") else 600,
                database=Path(settings.database_url.removeprefix("sqlite:///")),
                think_s=run.think_s,
            )
            services = [
                name
                for name, used in (("postgres", run.postgres), ("redis-server", run.redis))
                if used
            ]
            stage = Stage(target, processes, tuple(services))
            yield stage
            run.memory += peak_memory(pipeline, processes)
            run.memory.append(people_row(stage))


def people_row(stage: Stage) -> PeakMemory:
    """This process (the simulated people, on the same cores): the CPU time it spent on
    one pipeline's levels, beside the servers'."""
    pid = os.getpid()
    return PeakMemory(
        stage.pipeline, "simulated people", pid, peak_kib(pid) or 0, stage.people_cpu_s
    )


@contextmanager
def open_init(run: Run) -> Iterator[Stage]:
    """The demo bot with plain `rasa run` (REST channel only, its own endpoints file)."""
    model = demo_model()
    with workdir("init") as tmp:
        credentials = tmp / "credentials.yml"
        credentials.write_text("rest:\n", encoding="utf-8")
        port, log = free_port(), tmp / "rasa.log"
        command = [RASA, "run", "--model", str(model), "--interface", "127.0.0.1"]
        command += ["--port", str(port), "--credentials", str(credentials)]
        command += ["--endpoints", str(INIT_DIR / "endpoints.yml")]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        print("[bench] init: starting `rasa run` ...", flush=True)
        process = start_logged(command, cwd=INIT_DIR, env=env, log=log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(f"{url}/webhooks/rest/", process, log, 300)
            stage = Stage(Target("init", url, timeout=600, think_s=run.think_s), {"rasa": process})
            yield stage
            run.memory += peak_memory("init", {"rasa": process})
            run.memory.append(people_row(stage))
        finally:
            stop_servers([process])
