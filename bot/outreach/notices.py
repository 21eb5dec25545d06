"""The Norwegian words of everything the system starts itself: chat notices and letters.

Reminders, feedback requests and new offers are sent by the scheduler, not as an answer to
something the person wrote; the invitation letter is printed and posted. Plain language for
older readers: short sentences, "du", and the kommune's phone number. Every fact about the
visit comes from the municipality profile or from the public source material (råd og
veiledning, frivillig, topics of the talk, the offer of a visit later after a decline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

from bot.channels.relay import Button
from fhb.language.formatting import LOCALE
from fhb.profile import Profile, format_phone_display

REMINDER_BUTTONS = (
    Button("Avlys besøket", "/cancel_visit"),
    Button("Flytte besøket", "/reschedule_visit"),
)
FEEDBACK_BUTTONS = (
    Button("Ja, gi tilbakemelding", "/give_feedback"),
    Button("Nei takk", "/deny"),
)
NEW_OFFER_BUTTONS = (
    Button("Ja, finn en tid", "/book_visit"),
    Button("Nei takk", "/decline_visit"),
)
CALLBACK_BUTTONS = (Button("Ja, ring meg", "/request_callback"),)
STAFF_PREFIX = "Ansatt: "


def _join(*sentences: str | None) -> str:
    """Join the non-empty sentences with single spaces."""
    return " ".join(s.strip() for s in sentences if s and s.strip())


def phone_with_hours(profile: Profile) -> str:
    """'33 44 55 66 (hverdager kl. 08.00–15.30)'."""
    hours = f" ({profile.opening_hours})" if profile.opening_hours else ""
    return f"{format_phone_display(profile.phone)}{hours}"


def visitor_role(profile: Profile, name: str) -> str | None:
    """The role of a visitor in the profile ('sykepleier'), or None if not listed."""
    return next((role for visitor, role in profile.visitors if visitor == name and role), None)


def visitor_label(profile: Profile, name: str) -> str:
    """'Kari Hansen (sykepleier)', or just the name when the profile has no role for it."""
    role = visitor_role(profile, name)
    return f"{name} ({role})" if role else name


# --- chat notices ---------------------------------------------------------------------


def reminder_text(
    profile: Profile,
    *,
    slot_label: str,
    visitor: str,
    address: str | None,
    for_name: str | None = None,
) -> str:
    """The reminder the day before a visit: when, who, where, and how to cancel or move.

    `for_name` is set when a relative booked for someone else, who then gets the visit.
    """
    who = for_name or "Du"
    where = f"kommer til {address}." if address else "kommer på besøk."
    return (
        _join(
            f"Hei! Dette er en påminnelse fra {profile.name}.",
            f"{who} får besøk i morgen, {slot_label}.",
            f"{visitor_label(profile, visitor)} {where}",
            f"Besøket tar omtrent {profile.visit_minutes} minutter.",
        )
        + "\n"
        + _join(
            "Passer det ikke likevel? Trykk på et valg under.",
            f"Du kan også ringe oss på {phone_with_hours(profile)}.",
        )
    )


def feedback_request_text(
    profile: Profile, *, visitor: str | None = None, for_name: str | None = None
) -> str:
    """The kind question after a completed visit: how was it?

    `for_name` is set when a relative booked the visit for someone else.
    """
    who = for_name or "du"
    by = f" av {visitor}" if visitor else ""
    return _join(
        f"Hei! Takk for at {who} tok imot besøk{by} fra {profile.name}.",
        "Vil du fortelle oss hvordan det var? Det tar bare et minutt.",
        "Svarene hjelper oss å gjøre tilbudet bedre.",
    )


def new_offer_text(profile: Profile) -> str:
    """A new offer to someone who said they might want a visit later."""
    return _join(
        "Hei! Du sa at du kanskje ville ha besøk senere.",
        f"Nå vil {profile.name} gjerne tilby deg et forebyggende hjemmebesøk igjen.",
        profile.cost,
        "Besøket er frivillig, og du bestemmer selv.",
        "Vil du at jeg finner en tid?",
        f"Du kan også ringe oss på {phone_with_hours(profile)}.",
    )


# --- live takeover -------------------------------------------------------------------


def takeover_joined_text(profile: Profile) -> str:
    """A staff member has taken over the chat."""
    return _join(
        f"Nå skriver du med en ansatt i {profile.name}.",
        "Skriv det du lurer på, så svarer vi her.",
    )


def takeover_left_text(profile: Profile) -> str:
    """The staff member has handed the chat back to the bot."""
    return _join(
        "Den ansatte har gått ut av samtalen. Nå svarer chatboten deg igjen.",
        f"Du kan alltid ringe oss på {phone_with_hours(profile)}.",
    )


def takeover_timeout_text(profile: Profile, *, callback_phone: str | None) -> str:
    """Nobody took the chat in time: a call-back is registered, or offered."""
    sorry = "Beklager, ingen av oss rakk å svare deg i chatten."
    if callback_phone:
        return _join(
            sorry,
            f"Vi ringer deg på {format_phone_display(callback_phone)} så snart vi kan.",
            f"Du kan også ringe oss på {phone_with_hours(profile)}.",
        )
    return _join(
        sorry,
        f"Du kan ringe oss på {phone_with_hours(profile)}.",
        "Vil du heller at vi ringer deg? Trykk på knappen.",
    )


# --- the invitation letter ------------------------------------------------------------


@dataclass(frozen=True)
class AnswerWay:
    """One way to answer the letter; `link` is what its QR code holds (None: no code)."""

    title: str
    text: str
    link: str | None = None


@dataclass(frozen=True)
class LetterText:
    """Every word of one invitation letter, in reading order."""

    sender: str
    date: str
    address_lines: tuple[str, ...]
    title: str
    greeting: str
    paragraphs: tuple[str, ...]
    answer_heading: str
    answer_ways: tuple[AnswerWay, ...]
    code_line: str
    code_note: str
    closing_paragraphs: tuple[str, ...]
    signature: tuple[str, ...]


def group_code(code: str, size: int = 4) -> str:
    """A code in groups that are easy to read off paper: 'ABCD-EFGH-JK'."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def telegram_link(username: str, code: str) -> str:
    """The deep link that opens the bot on Telegram with the code."""
    return f"https://t.me/{username}?start={code}"


def web_link(web_url: str, code: str) -> str:
    """The web chat's address with the code."""
    return f"{web_url.rstrip('/')}/?kode={code}"


def _or_join(items: list[str]) -> str:
    """'a, b eller c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " eller " + items[-1]


def letter_text(
    profile: Profile,
    *,
    name: str,
    address: str | None,
    code: str,
    today: dt.date,
    web_url: str,
    telegram_username: str = "",
) -> LetterText:
    """The invitation letter to one citizen (pure: no files, no database)."""
    visitors = _or_join([visitor_label(profile, n) for n, _ in profile.visitors])
    scan = "Skann QR-koden med mobilen,"
    ways: list[AnswerWay] = []
    if telegram_username:
        link = telegram_link(telegram_username, code)
        ways.append(
            AnswerWay(
                "Chat med oss på Telegram",
                f"{scan} eller gå til {link.removeprefix('https://')}",
                link,
            )
        )
    link = web_link(web_url, code)
    ways.append(
        AnswerWay(
            "Chat med oss på nettsiden",
            f"{scan} eller skriv denne adressen i nettleseren: {link}",
            link,
        )
    )
    ways.append(
        AnswerWay(
            "Ring oss",
            format_phone_display(profile.phone)
            + (f", {profile.opening_hours}." if profile.opening_hours else "."),
        )
    )
    address_lines = tuple(p.strip() for p in (address or "").split(",") if p.strip())
    return LetterText(
        sender=profile.name,
        date=format_date(today, "d. MMMM y", locale=LOCALE),
        address_lines=(name, *address_lines),
        title="Tilbud om forebyggende hjemmebesøk",
        greeting=f"Hei {name},",
        paragraphs=(
            _join(
                f"{profile.name} vil gjerne komme på besøk til deg.",
                f"Tilbudet er for deg som fyller fra {profile.age_from} til "
                f"{profile.age_to} år i år.",
                "Det gjelder deg som har lite eller ingen hjelp fra kommunen.",
            ),
            _join(
                "Et forebyggende hjemmebesøk er en samtale hjemme hos deg.",
                "Du får råd og veiledning, så du kan bo trygt hjemme lenge.",
                "Dere kan snakke om trygghet i hjemmet, helse, mat og fysisk aktivitet,"
                " og om venner og familie.",
                "Du får også høre om tilbud fra kommunen og fra frivillige.",
            ),
            _join(
                f"Besøket tar omtrent {profile.visit_minutes} minutter.",
                profile.cost,
                "Det er frivillig, og du bestemmer selv om du vil ha besøk.",
                f"Den som kommer, er {visitors}." if visitors else None,
                profile.interpreter,
            ),
        ),
        answer_heading="Slik svarer du",
        answer_ways=tuple(ways),
        code_line=f"Koden din: {group_code(code)}",
        code_note=(
            "Koden er med i QR-kodene og adressene over. "
            "Du kan også skrive den i chatten. "
            "Den er personlig, og viser at det er du som svarer."
        ),
        closing_paragraphs=(
            _join(
                "Vil du ikke ha besøk, er det helt greit.",
                "Si gjerne fra i chatten eller på telefon.",
                "Du kan også si om du vil ha besøk senere.",
            ),
        ),
        signature=("Vennlig hilsen", profile.name),
    )
