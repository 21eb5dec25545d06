"""`fhb chat`: a terminal chat with the bot through Rasa's REST channel."""

from __future__ import annotations

import uuid

from bot.channels.terminal.format import MAX_MESSAGE, render_replies, to_message
from bot.channels.terminal.rasa_client import RasaClient, RasaUnavailable

INTRO = (
    "Skriv til boten og trykk Enter. Svar på et valg med tallet foran det.\n"
    "Skriv «avslutt» (eller trykk Ctrl+D) for å slutte."
)


def chat_loop(rasa_url: str, *, sender: str | None = None) -> None:
    """Read lines, relay them to Rasa, print the replies with numbered choices."""
    client = RasaClient(rasa_url)
    sender = sender or f"cli-{uuid.uuid4().hex}"
    buttons: list[dict[str, str]] = []
    print(INTRO)
    try:
        first: str | None = "hei"
        while True:
            if first is not None:
                typed, first = first, None
            else:
                try:
                    typed = input("\nDu: ")
                except EOFError:
                    break
            if typed.strip().lower() in ("avslutt", "exit", "quit"):
                break
            if len(typed) > MAX_MESSAGE:
                print(f"Bot: Meldingen er for lang. Skriv kortere, høyst {MAX_MESSAGE} tegn.")
                continue
            message = to_message(typed, buttons)
            if message is None:
                continue
            try:
                replies = client.send(sender, message)
            except RasaUnavailable:
                print("Bot: Beklager, jeg får ikke svart akkurat nå. Prøv igjen om litt.")
                continue
            text, buttons = render_replies(replies)
            print(f"Bot: {text}" if text else "Bot: (ingen svar)")
    finally:
        client.close()
