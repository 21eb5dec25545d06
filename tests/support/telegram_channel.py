"""A fake Telegram channel for the code that sends system-started messages (the scheduler, live
takeover): it records each notification instead of sending it."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

from bot.channels.relay import Button


@dataclass
class FakeTelegram:
    """Records what would be sent; answers `result` or raises `error`; `ready` as the real
    channel says whether it is connected."""

    result: bool = True
    error: Exception | None = None
    ready: bool = True
    calls: list[tuple[str, str, list[Button]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def send_notification(self, chat_id: str, text: str, buttons: list[Button]) -> bool:
        """Pretend to send (yielding once, like real I/O)."""
        await asyncio.sleep(0)
        with self.lock:
            self.calls.append((chat_id, text, buttons))
        if self.error is not None:
            raise self.error
        return self.result
