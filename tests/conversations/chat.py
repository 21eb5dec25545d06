"""Chatting as the web page does: a session token, /api/start, then typed text or a pressed
button's payload to /api/message, and the bot's messages back. One person per token, so each
simulated user is its own conversation (its own Rasa sender id)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from fhb.conversation_ids import conversation_id
from tests.conversations.judge import Arranged
from tests.conversations.people import Person
from tests.conversations.reader import Reader
from tests.conversations.screen import Message, message_from_json, read
from tests.conversations.turn import Turn
from tests.support.http import server_client

TURN_LIMIT = 14  # user turns; a person who is not done by then has given up
MAX_REPEAT = 2  # the same bot message at most twice in a row
NO_ANSWER_HINT = "Jeg trenger svar på spørsmålet"  # domain.yml's utter_in_form_hint


@dataclass(frozen=True)
class Line:
    """One line of a transcript: who, the text, and the buttons shown or pressed."""

    who: str  # "bot" or "user"
    text: str
    buttons: tuple[str, ...] = ()
    pressed: bool = False


@dataclass
class Conversation:
    """One simulated user's conversation and its verdict."""

    person: Person
    conversation_id: str
    arranged: Arranged | None = None
    lines: list[Line] = field(default_factory=list)
    user_turns: int = 0
    done_turn: int | None = None  # the user turn after which the person saw their errand done
    replies: list[tuple[str, ...]] = field(default_factory=list)  # the bot's answer per turn
    gave_up: str | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def longest_repeat(self) -> int:
        """The longest run of one identical bot message one after the other, or of one
        identical answer (all its messages) turn after turn."""
        messages = [line.text for line in self.lines if line.who == "bot"]
        return max(_longest_run(messages), _longest_run(self.replies))

    @property
    def failures(self) -> list[str]:
        """Why this conversation failed ([] = success)."""
        reasons = [f"error: {self.error}"] if self.error else []
        if self.done_turn is None and self.gave_up:
            reasons.append(self.gave_up)
        elif self.done_turn is None and not self.error:
            reasons.append(f"not done within {TURN_LIMIT} user turns")
        if self.longest_repeat > MAX_REPEAT:
            reasons.append(f"the same bot message {self.longest_repeat} times in a row")
        if self.answer_wanted_to_another_question:
            reasons.append("told it needs an answer, then asked a question it had not asked")
        return reasons + self.problems

    @property
    def answer_wanted_to_another_question(self) -> bool:
        """ "I need an answer to the question" makes sense only when the question the user
        just replied to (the bot's last message before the reply) is then asked again."""
        asked = ""  # the bot's last message before the user's latest turn
        last_bot = ""
        hinted = False
        for line in [*self.lines, Line("user", "")]:
            if line.who == "user":
                if hinted:
                    return True  # the question replied to did not come again
                asked = last_bot
                continue
            if line.text.startswith(NO_ANSWER_HINT):
                hinted = True
            elif hinted and line.text == asked:
                hinted = False
            last_bot = line.text
        return False

    @property
    def success(self) -> bool:
        """Judged from the database, the repeats and the turn limit."""
        return not self.failures

    def transcript(self) -> str:
        """The conversation as plain text."""
        out = []
        for line in self.lines:
            if line.who == "bot":
                text = line.text.replace("\n", "\n       ")
                out.append(f"  Bot:  {text}")
                if line.buttons:
                    out.append("        [" + "] [".join(line.buttons) + "]")
            else:
                out.append(f"  User: {'[' + line.text + ']' if line.pressed else line.text}")
        return "\n".join(out)


class WebChat:
    """The web chat's JSON API, as the page uses it."""

    def __init__(self, url: str, key: bytes) -> None:
        self.http = server_client(url, timeout=120)
        token = self.http.post("/api/session").json()["token"]
        self.http.headers["x-fhb-session"] = token
        self.conversation_id = conversation_id("web", token, key)

    def _post(self, path: str, body: dict[str, Any]) -> list[Message]:
        """POST and read the bot's messages (an apology arrives as a message too)."""
        response = self.http.post(path, json=body)
        if response.status_code >= 500 and not response.content:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return [message_from_json(m) for m in response.json() if m.get("from") == "bot"]

    def start(self) -> list[Message]:
        """Open the chat: the page sends /api/start and shows the greeting."""
        return self._post("/api/start", {})

    def send(self, turn: Turn) -> list[Message]:
        """Send typed text, or a pressed button's payload."""
        body = {"payload": turn.payload} if turn.payload else {"text": turn.text}
        return self._post("/api/message", body)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def _longest_run(items: list[Any]) -> int:
    """The longest run of equal items one after the other."""
    longest = run = 0
    previous = object()
    for item in items:
        run = run + 1 if item == previous else 1
        previous = item
        longest = max(longest, run)
    return longest


def _record(conversation: Conversation, messages: list[Message]) -> None:
    """Add the bot's messages to the transcript."""
    conversation.replies.append(tuple(m.text for m in messages))
    for m in messages:
        buttons = tuple(b.title for b in m.buttons)
        conversation.lines.append(Line("bot", m.text, buttons))


def talk(chat: WebChat, conversation: Conversation, *, today: dt.date) -> Conversation:
    """Let the person chat until they are finished or reach the turn limit."""
    started = time.monotonic()
    reader = Reader(conversation.person, today=today)
    try:
        messages = chat.start()
        _record(conversation, messages)
        while True:
            reader.notice(read(messages))
            if reader.turns >= TURN_LIMIT:
                break
            turn = reader.react(read(messages))
            if turn is None:
                break
            conversation.lines.append(Line("user", turn.text, pressed=turn.payload is not None))
            messages = chat.send(turn)
            _record(conversation, messages)
    except Exception as e:  # noqa: BLE001 - one user's failure must not stop the others
        conversation.error = f"{type(e).__name__}: {e}"
    finally:
        chat.close()
    conversation.user_turns = reader.turns
    conversation.done_turn = reader.done_turn
    conversation.gave_up = reader.gave_up
    conversation.seconds = time.monotonic() - started
    return conversation
