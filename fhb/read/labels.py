"""The Norwegian labels of stored values, one set for every page, listing and export."""

from __future__ import annotations

from fhb.db.models import DECLINE_REASONS

# The person's own choice in the chat ("Jeg klarer meg fint selv"), told about them.
DECLINE_REASON_LABELS = {
    "no_need": "Klarer seg fint selv",
    "feels_too_young": "Føler seg ikke gammel",
    "others_need_more": "Andre trenger det mer",
    "has_services": "Har hjelp fra kommunen",
    "not_at_home": "Vil ikke ha besøk hjemme",
    "bad_timing": "Passer ikke nå",
    "other": "Annet",
}
VISIT_STATUS_LABELS = {
    "booked": "Bestilt",
    "cancelled": "Avlyst",
    "completed": "Gjennomført",
    "no_show": "Uteble",
}
TAKEOVER_STATUS_LABELS = {
    "waiting": "Venter",
    "active": "Tatt over",
    "timed_out": "Ingen rakk å svare",
    "closed": "Gitt tilbake",
}
USEFUL_LABELS = {"yes": "Ja", "partly": "Delvis", "no": "Nei"}
NOTIFICATION_LABELS = {
    "reminder": "påminnelse",
    "feedback_request": "spør om tilbakemelding",
    "new_offer": "nytt tilbud",
}
# A conversation id's prefix (tg-…, web-…, cli-…) and the channel's name for staff.
CHANNEL_LABELS = {"tg": "Telegram", "web": "Nettchat", "cli": "Terminal"}
OTHER_CHANNEL = "Annet"


def reason_label(reason: str) -> str:
    """The label of a decline reason (the stored value when unknown)."""
    return DECLINE_REASON_LABELS.get(reason, reason)


def reason_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every known reason with its count (zeros included), then any unknown ones."""
    known = [(DECLINE_REASON_LABELS[r], counts.get(r, 0)) for r in DECLINE_REASONS]
    extra = [(reason, n) for reason, n in sorted(counts.items()) if reason not in DECLINE_REASONS]
    return known + extra


def channel_label(conversation_id: str) -> str:
    """The channel's name for staff (Telegram, Nettchat, Terminal) from a conversation id."""
    return CHANNEL_LABELS.get(conversation_id.split("-", 1)[0], OTHER_CHANNEL)
