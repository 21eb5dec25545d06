"""Keep the servers running: a server that dies is started again, with back-off, while the
others go on serving (`fhb run`).

The person in the web chat meanwhile gets the channel's honest "jeg vet ikke sikkert" answer
(bot.channels.context.ChannelContext.after_failure) instead of a dead page.
"""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Callable

Process = subprocess.Popen[bytes]
Starter = Callable[[], Process]


class Supervisor:
    """Restart dead servers: after 1 s, then 2, 4, ... up to `max_delay`; a server that has
    stayed up for `stable_after` seconds starts from 1 s again.

    `now` is a monotonic clock (injected, so tests need not wait); `say` prints a line for
    whoever runs `fhb run` (and systemd's journal).
    """

    def __init__(
        self,
        starters: dict[str, Starter],
        processes: dict[str, Process],
        *,
        now: Callable[[], float] = time.monotonic,
        say: Callable[[str], None] = print,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        stable_after: float = 300.0,
    ) -> None:
        self.starters = starters
        self.processes = dict(processes)
        self.now = now
        self.say = say
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self._delay = {name: first_delay for name in processes}
        self._started = {name: now() for name in processes}
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()
        self.restarts = {name: 0 for name in processes}

    def step(self) -> None:
        """Look at every server once: note a death, restart one whose back-off is over."""
        with self._lock:
            now = self.now()
            for name, process in list(self.processes.items()):
                if name in self._due:
                    if now >= self._due[name]:
                        self._restart(name, now)
                    continue
                code = process.poll()
                if code is not None:
                    delay = self._delay[name]
                    self.say(
                        f"[fhb] {name} stoppet (kode {code}); starter den igjen om {delay:.0f} s"
                    )
                    self._due[name] = now + delay
                    self._delay[name] = min(delay * 2, self.max_delay)
                elif now - self._started[name] >= self.stable_after:
                    self._delay[name] = self.first_delay

    def _restart(self, name: str, now: float) -> None:
        del self._due[name]
        try:
            self.processes[name] = self.starters[name]()
        except OSError as e:
            self.say(f"[fhb] {name} kunne ikke startes: {type(e).__name__}; prøver igjen")
            self._due[name] = now + self._delay[name]
            return
        self._started[name] = now
        self.restarts[name] += 1
        self.say(f"[fhb] {name} startet igjen")

    def current(self) -> list[Process]:
        """The processes running now (to stop them at the end)."""
        with self._lock:
            return list(self.processes.values())

    def loop(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Supervise until `stop` is set."""
        while not stop.wait(interval):
            self.step()
