"""The municipality profile, Norwegian formatting and slot planning."""

import datetime as dt
from pathlib import Path

import pytest

from fhb.language.formatting import format_slot_time, iso_local
from fhb.profile import Profile, format_phone_display, join_norwegian, parse_profile
from fhb.slot_plan import plan_slots


def test_target_group_is_the_year_people_turn_77_to_80(profile: Profile) -> None:
    today = dt.date(2026, 11, 23)
    assert list(profile.birth_years(today)) == [1946, 1947, 1948, 1949]
    assert profile.in_target_group(1948, today)
    assert not profile.in_target_group(1950, today)
    assert not profile.in_target_group(1945, today)


def test_template_values_come_from_the_profile(profile: Profile) -> None:
    values = profile.template_values()
    assert values["phone"] == "33 44 55 66"
    assert values["kommune"] == "Fjellvik kommune"
    assert values["visitors"] == "Kari Hansen (sykepleier) og Ola Berg (fysioterapeut)"
    assert "Seniortrim" in values["local_offers"]


def test_offers_for_a_reason_come_first(profile: Profile) -> None:
    assert [o.name for o in profile.offers_for("not_at_home")] == ["Seniorkafé", "Seniortrim"]


def test_a_broken_profile_says_what_is_missing() -> None:
    with pytest.raises(ValueError, match="missing"):
        parse_profile({"name": "X"})


def test_helpers() -> None:
    assert format_phone_display("+4791555555") == "91 55 55 55"
    assert join_norwegian(["a", "b", "c"]) == "a, b og c"


def test_slot_labels_are_norwegian() -> None:
    start = dt.datetime(2026, 12, 1, 9, 0)  # naive UTC = 10:00 in Oslo
    assert format_slot_time(start, "Europe/Oslo") == "tirsdag 1. desember kl. 10.00"
    assert iso_local(start) == "2026-12-01T10:00:00+01:00"


def test_slots_skip_weekends_holidays_and_fit_the_day(profile: Profile) -> None:
    slots = list(plan_slots(profile, start=dt.date(2026, 12, 21), weeks=2))
    days = {start.date() for start, _, _ in slots}
    # Mon 21, Tue 22, Wed 23 Dec; then 28, 29, 30, 31 Dec; Christmas Day (Fri) is no slot day anyway
    assert dt.date(2026, 12, 25) not in days
    assert all(dt.date(2026, 12, 21) <= d <= dt.date(2027, 1, 3) for d in days)
    assert all(start.isoweekday() in profile.schedule_weekdays for start, _, _ in slots)
    per_day_visitor = {(s.date(), v) for s, _, v in slots}
    # 09:00, 10:30, 12:00, 13:30 (ends 14:30 <= 15:00): four visits per visitor per day
    assert len(slots) == 4 * len(per_day_visitor)


def test_public_holidays_are_skipped(profile: Profile) -> None:
    slots = list(plan_slots(profile, start=dt.date(2027, 3, 29), weeks=1))  # Easter 2027
    days = {start.date() for start, _, _ in slots}
    assert dt.date(2027, 3, 29) not in days  # 2. påskedag
    assert dt.date(2027, 3, 30) in days


def test_an_edited_profile_applies_at_the_next_call_without_parsing_each_time(
    tmp_path: Path,
) -> None:
    from fhb.profile import load_profile

    shipped = (Path(__file__).resolve().parents[3] / "data" / "kommune.yml").read_text("utf-8")
    path = tmp_path / "kommune.yml"
    path.write_text(shipped, encoding="utf-8")
    first = load_profile(path)
    assert load_profile(path) is first  # unchanged: the same profile, not parsed again
    path.write_text(shipped.replace("Fjellvik", "Fjellvika"), encoding="utf-8")
    assert "Fjellvika" in load_profile(path).name  # changed: read again
