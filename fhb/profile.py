"""The municipality profile (data/kommune.yml) and the values responses are filled with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays
import yaml

from fhb.files import ParsedFile
from fhb.settings import get_settings


@dataclass(frozen=True)
class LocalOffer:
    """One activity or service for seniors."""

    name: str
    what: str
    where: str
    contact: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """Everything municipality-specific the bot needs."""

    name: str
    phone: str
    opening_hours: str
    age_from: int
    age_to: int
    visit_minutes: int
    office: str
    group_meeting: str
    cost: str
    interpreter: str
    visitors: tuple[tuple[str, str], ...]
    schedule_weekdays: tuple[int, ...]
    day_start: dt.time
    day_end: dt.time
    weeks_ahead: int
    timezone: str
    local_offers: tuple[LocalOffer, ...]
    retention_days: int
    open_weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    open_from: dt.time = dt.time(8, 0)
    open_to: dt.time = dt.time(15, 30)
    chat_response_minutes: int = 0

    def is_open(self, local: dt.datetime) -> bool:
        """Tell whether a person answers at this local time (phone and live chat).

        Closed on Norwegian public holidays, unless all seven weekdays are listed (a profile
        staffed around the clock). An `open_to` at or before `open_from` (e.g. 00:00) means
        open until midnight.
        """
        if local.isoweekday() not in self.open_weekdays:
            return False
        if len(self.open_weekdays) < 7 and local.date() in holidays.country_holidays(
            "NO", years=local.year
        ):
            return False
        now = local.time().replace(tzinfo=None)
        if self.open_to <= self.open_from:
            return now >= self.open_from
        return self.open_from <= now < self.open_to

    @property
    def live_chat(self) -> bool:
        """Tell whether staff answer in the chat in opening hours (a response time is set)."""
        return self.chat_response_minutes > 0

    def birth_years(self, today: dt.date) -> range:
        """Birth years of the target group this calendar year (oldest first)."""
        return range(today.year - self.age_to, today.year - self.age_from + 1)

    def in_target_group(self, birth_year: int, today: dt.date) -> bool:
        """Tell whether someone born that year is offered a visit this year."""
        return birth_year in self.birth_years(today)

    def offers_for(self, tag: str | None, *, limit: int = 2) -> list[LocalOffer]:
        """Local offers tagged with `tag` first, then the others, at most `limit`."""
        tagged = [o for o in self.local_offers if tag and tag in o.tags]
        rest = [o for o in self.local_offers if o not in tagged]
        return (tagged + rest)[:limit]

    def template_values(self) -> dict[str, str]:
        """The placeholders every response may use, e.g. {phone} and {kommune}."""
        return {
            "kommune": self.name,
            "phone": format_phone_display(self.phone),
            "opening_hours": self.opening_hours,
            "age_from": str(self.age_from),
            "age_to": str(self.age_to),
            "visit_minutes": str(self.visit_minutes),
            "visitors": join_norwegian([f"{n} ({r})" for n, r in self.visitors]),
            "office": self.office,
            "group_meeting": self.group_meeting,
            "cost": self.cost,
            "interpreter": self.interpreter,
            "local_offers": format_offers(self.local_offers),
            "response_minutes": str(self.chat_response_minutes),
        }


def join_norwegian(items: list[str]) -> str:
    """Join with commas and a final 'og': 'a, b og c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def format_phone_display(e164: str) -> str:
    """Show a Norwegian number the way people write it: '33 44 55 66'."""
    digits = e164.removeprefix("+47")
    if len(digits) == 8 and digits.isdigit():
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return e164


def format_offers(offers: tuple[LocalOffer, ...] | list[LocalOffer]) -> str:
    """A short bullet list of offers, one line each."""
    return "\n".join(f"• {o.name}: {o.what}. {o.where}. {o.contact}." for o in offers)


def _time(value: Any) -> dt.time:
    """Parse 'HH:MM' from the profile."""
    return dt.time.fromisoformat(str(value))


def parse_profile(raw: dict[str, Any]) -> Profile:
    """Build a Profile from the YAML mapping; raise ValueError on a missing field."""
    try:
        return Profile(
            name=raw["name"],
            phone=str(raw["contact"]["phone"]),
            opening_hours=raw["contact"]["opening_hours"],
            age_from=int(raw["target_group"]["from_age"]),
            age_to=int(raw["target_group"]["to_age"]),
            visit_minutes=int(raw["visit"].get("minutes", 60)),
            office=raw["visit"].get("office", ""),
            group_meeting=raw["visit"].get("group_meeting", ""),
            cost=raw["visit"].get("cost", ""),
            interpreter=raw["visit"].get("interpreter", ""),
            visitors=tuple((v["name"], v.get("role", "")) for v in raw["visitors"]),
            schedule_weekdays=tuple(int(d) for d in raw["schedule"]["weekdays"]),
            day_start=_time(raw["schedule"]["day_start"]),
            day_end=_time(raw["schedule"]["day_end"]),
            weeks_ahead=int(raw["schedule"].get("weeks_ahead", 6)),
            timezone=raw["schedule"].get("timezone", "Europe/Oslo"),
            local_offers=tuple(
                LocalOffer(
                    name=o["name"],
                    what=o["what"],
                    where=o["where"],
                    contact=o["contact"],
                    tags=tuple(o.get("tags", ())),
                )
                for o in raw.get("local_offers", ())
            ),
            retention_days=int(raw.get("retention_days", 90)),
            open_weekdays=tuple(
                int(d) for d in raw["contact"].get("open_weekdays", (1, 2, 3, 4, 5))
            ),
            open_from=_time(raw["contact"].get("open_from", "08:00")),
            open_to=_time(raw["contact"].get("open_to", "15:30")),
            chat_response_minutes=max(0, int(raw["contact"].get("chat_response_minutes", 0))),
        )
    except (KeyError, TypeError) as e:
        raise ValueError(f"municipality profile is missing or has a bad field: {e}") from e


_PROFILES = ParsedFile(lambda f: parse_profile(yaml.safe_load(f)))


def load_profile(path: Path | None = None) -> Profile:
    """The profile file's contents, parsed again only when the file changed (an edit
    applies at the next call without a restart)."""
    return _PROFILES.get(path or get_settings().profile_path)
