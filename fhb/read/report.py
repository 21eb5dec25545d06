"""The evaluation report's numbers: offers, answers, visits, feedback and conversations
over a period (the dashboard draws them; the CSV export and the tests read the same).

The guidance asks the municipality to compile its evaluations and feed them into planning;
`evaluation()` does all the counting. Conversations are counted from Rasa's tracker store
together with `conversation_stats` (what is kept of a conversation after the retention
purge), so the report does not change when old transcripts are deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from fhb import tracker
from fhb.clock import naive_utc
from fhb.db.models import (
    DECLINE_REASONS,
    Citizen,
    ConversationStat,
    Decline,
    Feedback,
    Invitation,
    Takeover,
    TakeoverStatus,
    Visit,
    VisitStatus,
)
from fhb.read.labels import CHANNEL_LABELS, OTHER_CHANNEL, USEFUL_LABELS, reason_label


@dataclass(frozen=True)
class Figure:
    """One chart's numbers: its CSV section, title, bars and their CSV keys."""

    section: str
    title: str
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[int, ...]

    @property
    def rows(self) -> list[tuple[str, int]]:
        """(label, value) pairs for the table next to the chart."""
        return list(zip(self.labels, self.values, strict=True))


@dataclass(frozen=True)
class Report:
    """The numbers of one period (both dates included, in the kommune's time zone)."""

    since: dt.date
    until: dt.date
    invitations: int  # imported citizens whose invitation letter was made in the period
    chat_offers: int  # conversations started in the period, not from one of those letters
    accepted: int  # visits booked in the period and not cancelled
    declined: dict[str, int]  # reason -> count (wants_later false)
    postponed: int  # declines with wants_later true
    completed: int
    referred: int
    interpreter_used: int
    joined_activity: int
    ratings: dict[int, int]  # 1..5 -> count
    useful: dict[str, int]  # yes/partly/no -> count
    channels: dict[str, int]  # id prefix (tg, web, cli, other) -> conversations
    resolved_by_bot: int  # conversations with no request for a person
    live_requests: int = 0  # asked for a person in the chat in opening hours (takeovers)
    live_answered: int = 0  # ... and a staff member answered in time (within the deadline)
    live_late: int = 0  # ... nobody answered in time (the phone number and a call-back)
    live_callbacks: int = 0  # ... of which a call-back was registered at once

    @property
    def offers_made(self) -> int:
        """Letters sent plus conversations that were not answers to those letters."""
        return self.invitations + self.chat_offers

    @property
    def declined_total(self) -> int:
        """Declines of every reason."""
        return sum(self.declined.values())

    @property
    def conversations(self) -> int:
        """Conversations started in the period, over all channels."""
        return sum(self.channels.values())

    @property
    def feedback_count(self) -> int:
        """Evaluations given in the period."""
        return sum(self.ratings.values())

    @property
    def resolved_share(self) -> str:
        """The share of conversations the bot finished without a person, as 'NN %'."""
        return share(self.resolved_by_bot, self.conversations)

    @property
    def accepted_share(self) -> str:
        """Booked visits as a share of the offers made, as 'NN %'."""
        return share(self.accepted, self.offers_made)

    def series(self) -> list[Figure]:
        """Every chart of the report, in page order."""
        reasons = [*DECLINE_REASONS, *sorted(set(self.declined) - set(DECLINE_REASONS))]
        channels = [*CHANNEL_LABELS, *sorted(set(self.channels) - set(CHANNEL_LABELS))]

        def make(section: str, title: str, pairs: list[tuple[str, str, int]]) -> Figure:
            return Figure(
                section,
                title,
                tuple(k for k, _, _ in pairs),
                tuple(label for _, label, _ in pairs),
                tuple(v for _, _, v in pairs),
            )

        return [
            make(
                "tilbud",
                "Tilbud og svar",
                [
                    ("tilbud_gitt", "Tilbud gitt", self.offers_made),
                    ("bestilt", "Bestilte besøk", self.accepted),
                    ("takket_nei", "Takket nei", self.declined_total),
                    ("utsatt", "Vil ha tilbud senere", self.postponed),
                ],
            ),
            make(
                "nei_grunn",
                "Hvorfor de takket nei",
                [(r, reason_label(r), self.declined.get(r, 0)) for r in reasons],
            ),
            make(
                "besok",
                "Gjennomførte besøk",
                [
                    ("gjennomfort", "Gjennomført", self.completed),
                    ("henvist", "Henvist til andre tjenester", self.referred),
                    ("tolk", "Brukte tolk", self.interpreter_used),
                    ("aktivitet", "Ble med på aktivitet", self.joined_activity),
                ],
            ),
            make(
                "vurdering",
                "Vurdering av besøket (1 = dårlig, 5 = svært bra)",
                [(str(n), f"{n} av 5", self.ratings.get(n, 0)) for n in range(1, 6)],
            ),
            make(
                "nyttig",
                "Var besøket nyttig?",
                [(k, label, self.useful.get(k, 0)) for k, label in USEFUL_LABELS.items()],
            ),
            make(
                "kanal",
                "Samtaler per kanal",
                [
                    (c, CHANNEL_LABELS.get(c, OTHER_CHANNEL), self.channels.get(c, 0))
                    for c in channels
                    if c in CHANNEL_LABELS or self.channels.get(c)
                ],
            ),
            make(
                "livechat",
                "Ba om en person i chatten (åpningstid)",
                [
                    ("forespurt", "Ba om en person", self.live_requests),
                    ("besvart", "En ansatt svarte i tide", self.live_answered),
                    ("for_sent", "Ingen svarte i tide", self.live_late),
                    ("ringes_opp", "Vi ringer opp", self.live_callbacks),
                ],
            ),
            make(
                "chatbot",
                "Løst av chatboten",
                [
                    ("uten_person", "Uten å be om en person", self.resolved_by_bot),
                    ("ba_om_person", "Ba om en person", self.conversations - self.resolved_by_bot),
                ],
            ),
        ]

    def csv_text(self) -> str:
        """All of the report's numbers as CSV: section, key, label, count."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["del", "nokkel", "beskrivelse", "antall"])
        writer.writerow(["periode", "fra", "Fra og med", self.since.isoformat()])
        writer.writerow(["periode", "til", "Til og med", self.until.isoformat()])
        writer.writerow(["tilbud", "invitasjonsbrev", "Invitasjonsbrev", self.invitations])
        writer.writerow(["tilbud", "samtaler_uten_brev", "Samtaler uten brev", self.chat_offers])
        for chart in self.series():
            for key, label, value in zip(chart.keys, chart.labels, chart.values, strict=True):
                writer.writerow([chart.section, key, label, value])
        writer.writerow(["vurdering", "antall", "Vurderinger i alt", self.feedback_count])
        writer.writerow(["kanal", "alle", "Samtaler i alt", self.conversations])
        return out.getvalue()


def share(part: int, whole: int) -> str:
    """`part` of `whole` as a rounded percentage ('–' when there is nothing to divide)."""
    return f"{round(100 * part / whole)} %" if whole else "–"


def bounds(since: dt.date, until: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """The period as naive UTC [start, end): local midnight of `since` to after `until`."""
    zone = ZoneInfo(tz)

    def utc(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), zone)
        return naive_utc(local)

    return utc(since), utc(until + dt.timedelta(days=1))


def conversations_started(
    session: Session, tracker_url: str, start: dt.datetime, end: dt.datetime
) -> dict[str, bool]:
    """Conversation id -> asked for a person, for conversations started in [start, end).

    Read from the tracker store's events and from `conversation_stats` (purged
    conversations); a conversation found in both counts once, from its earliest start.
    """
    seen: dict[str, tuple[dt.datetime, bool]] = {}
    for cid, started, wanted in session.execute(
        select(
            ConversationStat.conversation_id,
            ConversationStat.started_at,
            ConversationStat.wanted_person,
        ).where(ConversationStat.started_at < end)
    ):
        seen[cid] = (started, bool(wanted))
    for counts in tracker.started_between(tracker_url, start, end):
        started = naive_utc(dt.datetime.fromtimestamp(counts.first, dt.timezone.utc))
        earlier, wanted = seen.get(counts.conversation_id, (started, False))
        seen[counts.conversation_id] = (min(started, earlier), wanted or counts.wanted_person)
    return {cid: wanted for cid, (started, wanted) in seen.items() if start <= started < end}


def evaluation(
    session: Session, tracker_url: str, since: dt.date, until: dt.date, *, tz: str = "UTC"
) -> Report:
    """Count everything the report shows for the days `since`..`until` (both included)."""
    start, end = bounds(since, until, tz)

    def during(column: Any) -> Any:
        return and_(column >= start, column < end)

    letters = (
        session.execute(
            select(Invitation.conversation_id)
            .join(Citizen, Invitation.citizen_id == Citizen.id)
            .where(Citizen.source == "import", during(Invitation.created_at))
        )
        .scalars()
        .all()
    )
    conversations = conversations_started(session, tracker_url, start, end)
    answered = {cid for cid in letters if cid}
    accepted = session.execute(
        select(func.count(Visit.id)).where(
            during(Visit.created_at), Visit.status != VisitStatus.CANCELLED
        )
    ).scalar_one()
    declined = dict(
        session.execute(
            select(Decline.reason, func.count(Decline.id))
            .where(during(Decline.created_at), Decline.wants_later.is_(False))
            .group_by(Decline.reason)
        ).all()
    )
    postponed = session.execute(
        select(func.count(Decline.id)).where(
            during(Decline.created_at), Decline.wants_later.is_(True)
        )
    ).scalar_one()

    def yes(column: Any) -> Any:
        return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)

    completed, referred, interpreter, activity = session.execute(
        select(
            func.count(Visit.id),
            yes(Visit.referred),
            yes(Visit.interpreter_used),
            yes(Visit.joined_activity),
        ).where(
            Visit.status == VisitStatus.COMPLETED,
            during(func.coalesce(Visit.completed_at, Visit.updated_at)),
        )
    ).one()
    ratings = dict(
        session.execute(
            select(Feedback.rating, func.count(Feedback.id))
            .where(during(Feedback.created_at))
            .group_by(Feedback.rating)
        ).all()
    )
    useful = dict(
        session.execute(
            select(Feedback.useful, func.count(Feedback.id))
            .where(during(Feedback.created_at))
            .group_by(Feedback.useful)
        ).all()
    )
    in_time = and_(Takeover.taken_at.is_not(None), Takeover.taken_at <= Takeover.deadline)
    late = and_(Takeover.status != TakeoverStatus.WAITING, ~in_time)
    live_requests, live_answered, live_late, live_callbacks = session.execute(
        select(
            func.count(Takeover.id),
            func.coalesce(func.sum(case((in_time, 1), else_=0)), 0),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
            func.count(Takeover.callback_id),
        ).where(during(Takeover.requested_at))
    ).one()
    channels: dict[str, int] = {}
    for cid in conversations:
        prefix = cid.split("-", 1)[0]
        key = prefix if prefix in CHANNEL_LABELS else "annet"
        channels[key] = channels.get(key, 0) + 1
    return Report(
        since=since,
        until=until,
        invitations=len(letters),
        chat_offers=sum(1 for cid in conversations if cid not in answered),
        accepted=int(accepted),
        declined={str(k): int(v) for k, v in declined.items()},
        postponed=int(postponed),
        completed=int(completed),
        referred=int(referred),
        interpreter_used=int(interpreter),
        joined_activity=int(activity),
        ratings={int(k): int(v) for k, v in ratings.items()},
        useful={str(k): int(v) for k, v in useful.items()},
        channels=channels,
        resolved_by_bot=sum(1 for wanted in conversations.values() if not wanted),
        live_requests=int(live_requests),
        live_answered=int(live_answered),
        live_late=int(live_late),
        live_callbacks=int(live_callbacks),
    )


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months up to and including today."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1), today
