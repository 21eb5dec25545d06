"""The simulated people: persons with details of their own, and conversations over HTTP."""

from __future__ import annotations

import abc
import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp

from benchchat.measure import Sample, Target

Json = dict[str, Any]

FAQ = ("Hva er et forebyggende hjemmebesøk?", "Koster det noe?")
ASK_FOR_VISIT = "Jeg vil gjerne bestille et besøk"
# Every moodbot intent, in the order of its stories (a "no" late in a long conversation
# gets no answer from the demo's policies: it comes early, after the first "Did that help?").
MOOD_MESSAGES = (
    "hi",
    "I am sad",
    "no",
    "hello",
    "I am great",
    "are you a bot?",
    "hey",
    "very sad",
    "yes",
    "bye",
)
FIRST_NAMES = (
    "Kari Ola Ingrid Per Astrid Knut Solveig Arne Randi Bjørn Gerd Odd Liv Svein Berit Terje "
    "Anne Jan Marit Rolf Eva Leif Sigrid Harald Turid"
).split()
LAST_NAMES = (
    "Nordmann Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen "
    "Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl "
    "Jørgensen Halvorsen Henriksen Lund"
).split()
MIDDLE_NAMES = "Marie Johan Elise Magnus Helene Nils Margrete Anders".split()
STREETS = (
    "Storgata Fjordveien Kirkegata Skolegata Strandveien Bakkeveien Granveien Parkveien "
    "Torggata Havnegata"
).split()

# What a message can meet instead of an answer: a timeout, a refused or broken connection,
# or a body that is not JSON.
NO_ANSWER = (aiohttp.ClientError, asyncio.TimeoutError, ValueError)
NOT_SURE = "vet ikke sikkert"  # the channel's apology: Rasa failed or was too slow
BOOKED = "Besøket er bestilt"  # utter_booking_confirmed
TIME_PAYLOAD = "/choose_slot"
MAX_TIME_TRIES = 6  # a time taken by someone else: people try again, up to six times
MAX_BOOKING_STEPS = 2 * MAX_TIME_TRIES + 2  # button presses after the details, at most


@dataclass(frozen=True)
class Person:
    """A citizen with details nobody else in the run has."""

    name: str
    birth_year: int
    address: str
    phone: str

    @classmethod
    def number(cls, n: int, *, this_year: int) -> Person:
        """Person number `n` (from 0), 80 years old this year: in the profile's target group."""
        first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
        last, extra = LAST_NAMES[rest % len(LAST_NAMES)], rest // len(LAST_NAMES)
        middle = f" {MIDDLE_NAMES[(extra - 1) % len(MIDDLE_NAMES)]}" if extra else ""
        digits = f"{91000000 + n:08d}"
        return cls(
            name=f"{first}{middle} {last}",
            birth_year=this_year - 80,
            address=f"{STREETS[n % len(STREETS)]} {n // len(STREETS) + 1}",
            phone=f"{digits[:3]} {digits[3:5]} {digits[5:]}",
        )

    def details(self) -> str:
        """Everything the booking form asks for, in one message."""
        return (
            f"Jeg heter {self.name}, født {self.birth_year}, bor i {self.address} "
            f"og telefonen min er {self.phone}"
        )


class Conversation(abc.ABC):
    """One conversation over HTTP: each message timed, the bot's last answer kept."""

    def __init__(self, http: aiohttp.ClientSession, samples: list[Sample]) -> None:
        self.http = http
        self.samples = samples
        self.last: list[Json] = []
        self.think_s = 0.0  # mean pause before each message
        self.pace = random.Random(0)

    def thinks(self, mean_s: float, seed: str) -> Conversation:
        """Pause before each message, 0.5 to 1.5 times `mean_s` (repeatable per seed)."""
        self.think_s, self.pace = mean_s, random.Random(seed)
        return self

    @abc.abstractmethod
    async def start(self) -> None:
        """Open the conversation as the channel does."""

    @abc.abstractmethod
    async def send(self, body: dict[str, str], step: str) -> None:
        """Send {"text": ...} or {"payload": ...}; `step` names it in the report."""

    @abc.abstractmethod
    def bot_messages(self, answer: object) -> list[Json]:
        """The bot's messages in a JSON answer."""

    async def say(self, text: str, step: str | None = None) -> None:
        """Type a message."""
        await self.send({"text": text}, step or text)

    async def press(self, button: Json) -> None:
        """Press a button of the last answer."""
        payload = str(button["payload"])
        step = "[a time]" if payload.startswith(TIME_PAYLOAD) else f"[{button.get('title')}]"
        await self.send({"payload": payload}, step)

    async def post(self, url: str, body: Json, headers: dict[str, str], step: str) -> None:
        """Pause as a person would (reading, typing), then POST, time it, keep the answer
        and record the sample."""
        if self.think_s:
            await asyncio.sleep(self.think_s * self.pace.uniform(0.5, 1.5))
        began, error = time.perf_counter(), ""
        try:
            async with self.http.post(url, json=body, headers=headers) as response:
                answer = await response.json(content_type=None)
            latency = (time.perf_counter() - began) * 1000
            status, self.last = response.status, self.bot_messages(answer)
        except NO_ANSWER as e:  # timeout, refused, cut off, or not JSON
            latency = (time.perf_counter() - began) * 1000
            status, self.last, error = 0, [], type(e).__name__
        text = self.text()
        apology = status == 503 or NOT_SURE in text
        self.samples.append(Sample(step, latency, status, apology, bool(text.strip()), error))

    def text(self) -> str:
        """The texts of the last answer."""
        return "\n".join(str(m.get("text") or "") for m in self.last)

    def buttons(self) -> list[Json]:
        """The buttons of the last answer, in order."""
        return [b for m in self.last for b in m.get("buttons") or [] if isinstance(b, dict)]

    def last_failed(self) -> bool:
        """Whether the last message failed."""
        return bool(self.samples) and self.samples[-1].failed


class WebConversation(Conversation):
    """A browser's session with `fhb serve` (the JSON API the chat page uses)."""

    def __init__(self, http: aiohttp.ClientSession, samples: list[Sample], url: str) -> None:
        super().__init__(http, samples)
        self.url = url
        self.headers: dict[str, str] = {}

    async def start(self) -> None:
        """Get a session token (not timed: no message), then open the chat."""
        async with self.http.post(f"{self.url}/api/session") as response:
            self.headers["X-FHB-Session"] = str((await response.json())["token"])
        await self.post(f"{self.url}/api/start", {}, self.headers, "(start)")

    async def send(self, body: dict[str, str], step: str) -> None:
        """A typed message or a button's payload, as the page sends them."""
        await self.post(f"{self.url}/api/message", body, self.headers, step)

    def bot_messages(self, answer: object) -> list[Json]:
        """The answer is a list of messages; the bot's have "from": "bot"."""
        items = answer if isinstance(answer, list) else []
        return [m for m in items if isinstance(m, dict) and m.get("from") == "bot"]


class RestConversation(Conversation):
    """A conversation straight with Rasa's REST webhook, under a sender id of its own."""

    def __init__(self, http: aiohttp.ClientSession, samples: list[Sample], url: str) -> None:
        super().__init__(http, samples)
        self.url = f"{url}/webhooks/rest/webhook"
        self.sender = f"bench-{uuid.uuid4().hex}"

    async def start(self) -> None:
        """What the web chat's /api/start sends to Rasa without an invitation code."""
        await self.say("/greet", "(start)")

    async def send(self, body: dict[str, str], step: str) -> None:
        """The text, or the button's payload, is the message."""
        message = body.get("text", body.get("payload", ""))
        await self.post(self.url, {"sender": self.sender, "message": message}, {}, step)

    def bot_messages(self, answer: object) -> list[Json]:
        """Rasa answers with a list of messages to the sender."""
        items = answer if isinstance(answer, list) else []
        return [m for m in items if isinstance(m, dict)]


async def book_a_time(chat: Conversation, pick: random.Random) -> str:
    """After the details: press one of the times offered (as people do, not all the first)
    and "Ja" until the visit is booked.

    Returns how it went: booked, no_times (none offered), taken (six times gone),
    error (a message failed) or stuck (something else on the screen).
    """
    tries = 0
    for _ in range(MAX_BOOKING_STEPS):
        if BOOKED in chat.text():
            return "booked"
        if chat.last_failed():
            return "error"
        times = [b for b in chat.buttons() if str(b.get("payload", "")).startswith(TIME_PAYLOAD)]
        yes = [b for b in chat.buttons() if str(b.get("title", "")).startswith("Ja")]
        if times:
            if tries == MAX_TIME_TRIES:
                return "taken"
            tries += 1
            await chat.press(pick.choice(times))
        elif yes:  # "Stemmer dette?" and any other yes/no question on the way
            await chat.press(yes[0])
        else:
            return "no_times" if tries == 0 else "stuck"
    return "stuck"


async def citizen(chat: Conversation, person: Person) -> str:
    """Greet, ask two questions, then book a visit with all details typed at once."""
    await chat.start()
    for text in ("Hei", *FAQ, ASK_FOR_VISIT):
        await chat.say(text)
    await chat.say(person.details(), "(name, birth year, address, phone)")
    return await book_a_time(chat, random.Random(person.name))


async def moodbot_user(chat: Conversation) -> str:
    """Ten short English messages to the demo bot."""
    for text in MOOD_MESSAGES:
        await chat.say(text)
    return "done"


async def one_person(
    target: Target, http: aiohttp.ClientSession, samples: list[Sample], person: Person
) -> str:
    """One simulated person on this pipeline; returns how the conversation ended."""
    try:
        if target.pipeline.startswith("web"):
            web = WebConversation(http, samples, target.url).thinks(target.think_s, person.name)
            return await citizen(web, person)
        chat = RestConversation(http, samples, target.url).thinks(target.think_s, person.name)
        if target.pipeline.startswith("rest"):
            return await citizen(chat, person)
        return await moodbot_user(chat)
    except (*NO_ANSWER, KeyError):  # the session could not be opened
        return "error"
