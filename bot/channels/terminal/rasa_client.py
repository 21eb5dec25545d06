"""The terminal chat's synchronous client for Rasa's REST channel (`fhb chat`)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.relay import IDLE_CONNECTION_SECONDS, RasaUnavailable
from fhb.language.validation import mask_national_ids


class RasaClient:
    """Send a user's message to Rasa's REST webhook and return the bot's replies.

    The terminal chat's small synchronous client; the channels use `bot.relay.RasaRelay`.
    """

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        # A person types for longer than Rasa keeps an idle connection open (5 s).
        limits = httpx.Limits(keepalive_expiry=IDLE_CONNECTION_SECONDS)
        self._client = httpx.Client(base_url=base_url, timeout=timeout, limits=limits)

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Relay one message (national identity numbers masked first)."""
        try:
            response = self._client.post(
                "/webhooks/rest/webhook",
                json={
                    "sender": sender,
                    "message": mask_national_ids(message),
                    "input_channel": "cli",
                },
            )
            response.raise_for_status()
        except httpx.HTTPError as e:
            raise RasaUnavailable(str(e)) from e
        return list(response.json())

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()
