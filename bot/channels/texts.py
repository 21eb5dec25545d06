"""Every Norwegian word the channel layer itself says (Rasa's replies live in domain.yml).

Plain language for older readers: short sentences, "du", and the phone number whenever
something goes wrong. Functions take the profile so each kommune's own number is used.
"""

from __future__ import annotations

from fhb.profile import Profile, format_phone_display

EMPTY_MESSAGE = "Jeg fikk ingen tekst. Skriv det du lurer på, eller trykk på et valg."
NATIONAL_ID_REMOVED = (
    "Du trenger ikke å gi oss personnummeret ditt. Jeg har fjernet det fra meldingen, "
    "så det blir ikke lagret. Ikke del det her."
)
ALREADY_CHOSEN = "Du har allerede valgt dette."
CHOSEN_MARK = "✔ Valgt: {title}"
SHARE_CONTACT = "📞 Del telefonnummeret mitt"
FORGET_CONFIRM = (
    "Vil du slette denne samtalen? Da sletter jeg det vi har skrevet her, "
    "og kobler chatten fra deg.\n\n"
    "Bestilte besøk blir ikke slettet. Kommunen må ta vare på dem. "
    "Vil du avlyse et besøk, må du gjøre det før du sletter."
)
FORGET_YES = "Ja, slett samtalen"
FORGET_NO = "Nei, behold den"
FORGET_DONE = (
    "Samtalen er slettet, og chatten er koblet fra deg. "
    "Bestilte besøk er ikke slettet. Skriv «hei» hvis du vil begynne på nytt."
)
FORGET_KEPT = "Greit, jeg sletter ingenting."
INVALID_CODE = (
    "Jeg fant ikke koden fra brevet. Sjekk at den er skrevet riktig. "
    "Du kan også skrive til meg uten kode."
)


def too_long(max_chars: int) -> str:
    """A paste over the limit."""
    return (
        f"Meldingen er for lang for meg. Skriv kortere, høyst {max_chars} tegn. "
        "Du kan dele den opp i flere meldinger."
    )


def phone(profile: Profile) -> str:
    """The kommune's phone number as people write it."""
    return format_phone_display(profile.phone)


def unavailable(profile: Profile) -> str:
    """Rasa or the action server is down or slow. It may still have done what was asked,
    so this never says that nothing was registered."""
    return (
        "Beklager, jeg får ikke svart akkurat nå, og jeg vet ikke sikkert om det du skrev, "
        "ble registrert. Prøv igjen om litt, eller ring oss på "
        f"{phone(profile)} ({profile.opening_hours})."
    )


def busy(profile: Profile) -> str:
    """So many people write at once that the message was never passed on to the bot."""
    return (
        "Beklager, det er veldig mange som skriver akkurat nå, så meldingen din kom ikke "
        "fram. Ingenting av den ble registrert. Send den gjerne på nytt om litt, eller ring "
        f"oss på {phone(profile)} ({profile.opening_hours})."
    )


def visit_registered(slot_label: str, visitor: str, address: str) -> str:
    """The answer came late, but the booking it was about is in the database."""
    return (
        f"Beklager at svaret tok tid. Besøket ditt er registrert: {slot_label}. "
        f"{visitor} kommer til {address}."
    )


def text_only(profile: Profile) -> str:
    """Voice, photos, stickers, files, locations."""
    return (
        "Jeg kan bare lese tekst. Skriv det du vil si, eller trykk på et valg. "
        f"Vil du heller snakke med noen, kan du ringe oss på {phone(profile)} "
        f"({profile.opening_hours})."
    )


def help_text(profile: Profile) -> str:
    """/hjelp on Telegram (the bot's own help follows from Rasa)."""
    return (
        "Du kan skrive til meg med vanlige ord, eller trykke på knappene. "
        "Skriv /stopp for å avbryte det vi holder på med, "
        "og /slett for å slette samtalen. "
        f"Du kan også ringe oss på {phone(profile)}."
    )


# --- web chat (bot/web) ------------------------------------------------------------------------

WEB_SESSION_LOST = (
    "Jeg fant ikke samtalen din. Last inn siden på nytt, så begynner vi en ny samtale."
)
WEB_BAD_REQUEST = "Jeg forstod ikke meldingen. Skriv den på nytt, eller trykk på et valg."


def web_too_large(max_chars: int) -> str:
    """A message so large the web chat refuses it before reading it all (HTTP 413)."""
    return (
        f"Meldingen er altfor lang for meg. Skriv kortere, høyst {max_chars} tegn. "
        "Du kan dele den opp i flere meldinger."
    )


# Words the web page's script shows (handed to chat.js as JSON by the page).
WEB_PAGE = {
    "you": "Du:",
    "bot": "Kommunen:",
    "choices": "Valg",
    "chosen": "✔ Du valgte: {title}",
    "typing": "Kommunen skriver …",
    "pasteCut": (
        "Teksten var for lang. Jeg tok bare med de første {max} tegnene. "
        "Send gjerne resten i en ny melding."
    ),
    "atLimit": "Nå har du skrevet {max} tegn. Det er det meste jeg kan ta imot i én melding.",
}


# --- Telegram (bot/telegram.py) ---------------------------------------------------------------

PRIVATE_ONLY = "Jeg svarer bare i en privat samtale. Skriv direkte til meg."
CHOOSE = "Trykk på et valg."
TELEGRAM_COMMANDS = (
    ("start", "Begynn samtalen"),
    ("hjelp", "Slik bruker du chatten"),
    ("stopp", "Avbryt det vi holder på med"),
    ("slett", "Slett samtalen"),
)


def forget_failed(profile: Profile) -> str:
    """/slett could not erase the conversation right now."""
    return (
        "Beklager, jeg fikk ikke slettet samtalen akkurat nå. Prøv igjen om litt, "
        f"eller ring oss på {phone(profile)} ({profile.opening_hours})."
    )
