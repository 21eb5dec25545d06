"""The pipelines: each on servers of its own, warmed up, then every level, one after another."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx

from benchchat.measure import (
    LevelResult,
    PeakMemory,
    Run,
    Sample,
    Target,
    own_cpu_seconds,
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
    limits = httpx.Limits(max_connections=level + 10, max_keepalive_connections=level + 10)
    async with httpx.AsyncClient(timeout=target.timeout, limits=limits) as http:
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


def run_levels(
    target: Target,
    run: Run,
    processes: dict[str, subprocess.Popen[bytes]],
    services: Sequence[str] = (),
) -> None:
    """One conversation to warm up (not counted: Rasa loads parts of its model on the first
    message), then every level, one after the other, on the same servers; the CPU time
    each process spent on a level is recorded with it."""
    asyncio.run(run_level(target, 1, run.people))  # the last person number: unused
    first = 0
    for level in run.levels:
        before = process_cpu(processes, services)
        result = asyncio.run(run_level(target, level, first, run.rounds(level)))
        after = process_cpu(processes, services)
        result.cpu_s = {name: after[name] - before[name] for name in after}
        first += level * run.rounds(level)
        run.results.append(result)
        print(
            f"[bench] {target.pipeline} x{level}: {len(result.samples)} messages in "
            f"{result.wall_s:.1f} s, {sum(s.failed for s in result.samples)} failed, "
            f"outcomes {dict(result.outcomes)}",
            flush=True,
        )


def run_fhb(pipeline: str, run: Run) -> None:
    """The web chat or the REST baseline: own servers, all levels, peak memory."""
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
            before = own_cpu_seconds()
            services = ("postgres",) if run.postgres else ()
            run_levels(target, run, processes, services + (("redis-server",) if run.redis else ()))
            run.memory += peak_memory(pipeline, processes)
            run.memory.append(people_row(pipeline, before))


def people_row(pipeline: str, cpu_before: float) -> PeakMemory:
    """This process (the simulated people, on the same cores): its CPU time since
    `cpu_before`, beside the servers'."""
    pid = os.getpid()
    return PeakMemory(
        pipeline, "simulated people", pid, peak_kib(pid) or 0, own_cpu_seconds() - cpu_before
    )


def run_init(run: Run) -> None:
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
            before = own_cpu_seconds()
            run_levels(
                Target("init", url, timeout=600, think_s=run.think_s), run, {"rasa": process}
            )
            run.memory += peak_memory("init", {"rasa": process})
            run.memory.append(people_row("init", before))
        finally:
            stop_servers([process])
