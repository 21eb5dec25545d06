"""One person in the web chat, over the JSON API the page uses (end-to-end tests)."""

from __future__ import annotations

from typing import Any

from fhb.conversation_ids import conversation_id
from tests.support.http import server_client


class WebChat:
    """A browser's session with `fhb serve`: type, press buttons, read the bot's answers.

    `status` is the HTTP status of the last answer (503 when the channel apologised).
    """

    def __init__(self, url: str, key: bytes) -> None:
        self.http = server_client(url, timeout=120)
        self.token = str(self.http.post("/api/session").json()["token"])
        self.http.headers["X-FHB-Session"] = self.token
        self.conversation = conversation_id("web", self.token, key)
        self.last: list[dict[str, Any]] = []
        self.status = 0

    def _post(self, path: str, body: dict[str, str]) -> str:
        """POST; keep the bot's messages and return their texts joined."""
        response = self.http.post(path, json=body)
        self.status = response.status_code
        self.last = [m for m in response.json() if m.get("from") == "bot"]
        return "\n".join(m["text"] for m in self.last)

    def start(self) -> str:
        """Open the chat."""
        return self._post("/api/start", {})

    def say(self, text: str) -> str:
        """Type a message."""
        return self._post("/api/message", {"text": text})

    def press(self, title: str | None = None) -> str:
        """Press the button with this title (None: the first one) of the last messages."""
        buttons = [b for m in self.last for b in m.get("buttons") or []]
        chosen = next(b for b in buttons if title is None or b["title"] == title)
        return self._post("/api/message", {"payload": chosen["payload"]})

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def to_summary(chat: WebChat, name: str, birth_year: int, address: str, phone: str) -> None:
    """Ask for a visit, answer each question, take the first time offered: the summary."""
    chat.start()
    assert "Hva heter du" in chat.press("Bestille besøk")
    assert "født" in chat.say(name)
    said = chat.say(str(birth_year))
    assert "adresse" in said, said
    assert "telefonnummer" in chat.say(address)
    chat.say(phone)
    assert "Stemmer dette?" in chat.press()  # the first time offered
