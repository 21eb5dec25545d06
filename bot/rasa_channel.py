"""Rasa's REST channel, except that a turn once started is always finished and saved.

Rasa's web server (Sanic) cancels a request's handler when the client hangs up. When the
channel server gives up waiting (`FHB_RELAY_TIMEOUT`), Rasa's REST channel was cancelled in
the middle of the turn: a custom action could still write a visit, but the turn was never
saved, so the transcript lacked the message the person had sent. Here the turn runs in its
own task, shielded from that cancellation; only the HTTP answer is given up.

credentials.yml names this class instead of `rest:`. Its name is still "rest", so the
webhook stays /webhooks/rest/webhook.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

import bot.rasa_patches  # noqa: F401 - Rasa loads this module: apply the patches
from bot.channels.relay import TURN_FAILED  # the marker the channels read

log = logging.getLogger(__name__)

# Turns whose client has gone: kept here so they are not garbage-collected half-way.
_UNFINISHED: set[asyncio.Future[Any]] = set()


def finishing(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> Callable[[UserMessage], Awaitable[None]]:
    """`on_new_message` run so that cancelling the caller does not cancel the turn."""

    async def handle(message: UserMessage) -> None:
        turn = asyncio.ensure_future(on_new_message(message))
        _UNFINISHED.add(turn)
        turn.add_done_callback(_UNFINISHED.discard)
        try:
            await asyncio.shield(turn)
        except asyncio.CancelledError:
            log.warning("the client stopped waiting; the turn is finished without it")
            raise
        except Exception as e:
            # Rasa's REST channel would answer 200 with whatever was said before the error
            # (often nothing): mark the answer as failed, so the channel apologises (503).
            mark_failed(message, e)
            raise

    return handle


def mark_failed(message: UserMessage, error: Exception) -> None:
    """Add the failure marker to what the REST channel sends back for this message."""
    collected = getattr(message.output_channel, "messages", None)
    if isinstance(collected, list):
        collected.append(
            {"recipient_id": message.sender_id, "custom": {TURN_FAILED: type(error).__name__}}
        )


class FinishingRestInput(RestInput):
    """The REST channel (`/webhooks/rest/webhook`) whose turns are never cut off."""

    @classmethod
    def name(cls) -> str:
        """The same name, so the same URL, as Rasa's REST channel."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Any:
        """Rasa's REST routes around a turn handler that a hang-up cannot cancel."""
        return super().blueprint(finishing(on_new_message))
