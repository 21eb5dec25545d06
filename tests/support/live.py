"""One running resource shared by several session fixtures of one test run.

pytest makes a separate fixture for every conftest.py that defines (or imports) it, so a
session fixture imported into two test directories would start the real Rasa and action
server twice. `Shared.use` starts the resource for its first user and stops it when the
last one is done: `tests/e2e` and `tests/conversations` then chat with the same servers.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class Shared(Generic[T]):
    """A resource entered once for any number of users, and left after the last one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._stack: ExitStack | None = None
        self._value: T | None = None

    @contextmanager
    def use(self, start: Callable[[], AbstractContextManager[T]]) -> Iterator[T]:
        """Yield the running resource, entering `start()` when nobody holds it yet."""
        with self._lock:
            if self._users == 0:
                stack = ExitStack()
                self._value = stack.enter_context(start())
                self._stack = stack
            self._users += 1
            value = self._value
        try:
            yield value  # type: ignore[misc]
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._stack is not None:
                    stack, self._stack, self._value = self._stack, None, None
                    stack.close()
