"""The staff command line `fhb` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from fhb.db import answers
from fhb.db import engine as engine_db
from fhb.db import notifications as notifications_db
from fhb.db import slots as slots_db
from fhb.db import staff as staff_db
from fhb.db import visits as visits_db
from fhb.db.models import Citizen
from tests.support.clock import NOW, clock, frozen_uow


@pytest.fixture
def fhb(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `fhb ...` in-process on the test database; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("FHB_DATABASE_URL", db_url)
    monkeypatch.setattr("bot.cli.CLOCK", clock)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def as_json(out: str) -> list[dict[str, Any]]:
    """Parse a --json listing."""
    return list(json.loads(out))


def test_generate_slots_is_idempotent_and_skips_holidays(fhb) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = fhb("generate-slots", "--start", "2026-12-21", "--weeks", "2")
    assert code == 0 and "nye ledige tider" in out
    code, out, _ = fhb("generate-slots", "--start", "2026-12-21", "--weeks", "2")
    assert "0 nye ledige tider" in out
    _, out, _ = fhb("slots", "--json", "--all")
    slots = as_json(out)
    assert slots and set(slots[0]) == {"id", "start", "end", "visitor", "free"}
    assert not any(s["start"].startswith(("2026-12-25", "2026-12-26", "2027-01-01")) for s in slots)
    assert all(s["free"] for s in slots)


def test_visit_listing_and_marking(fhb, db_url: str) -> None:  # type: ignore[no-untyped-def]
    fhb("generate-slots", "--weeks", "1")
    with frozen_uow(db_url) as session:
        slot_id = slots_db.list_slots(session, after=NOW.replace(tzinfo=None))[0][0].id
        visits_db.book_visit(
            session,
            slot_id=slot_id,
            conversation_id="c-1",
            citizen=visits_db.CitizenDetails("Kari Nordmann", 1948, "Storgata 5", "+4791555555"),
            relative=visits_db.RelativeDetails("barn", "Per Nordmann", "+4741234567"),
        )
    _, out, _ = fhb("visits", "--json")
    (visit,) = as_json(out)
    assert {
        k: visit[k]
        for k in (
            "citizen_name",
            "phone",
            "status",
            "booked_by",
            "relation",
            "relative_name",
            "relative_phone",
            "conversation_id",
        )
    } == {
        "citizen_name": "Kari Nordmann",
        "phone": "+4791555555",
        "status": "booked",
        "booked_by": "relative",
        "relation": "barn",
        "relative_name": "Per Nordmann",
        "relative_phone": "+4741234567",
        "conversation_id": "c-1",
    }
    assert visit["start"][-6:] in ("+01:00", "+02:00")
    assert fhb("mark", str(visit["id"]), "completed")[0] == 0
    assert as_json(fhb("visits", "--json")[1])[0]["status"] == "completed"
    assert fhb("mark", "999", "completed")[0] == 1
    _, table, _ = fhb("visits")
    assert "Kari Nordmann" in table and "citizen_name" in table


def test_empty_listings(fhb) -> None:  # type: ignore[no-untyped-def]
    for listing in ("declines", "feedback", "callbacks", "notifications"):
        code, out, _ = fhb(listing, "--json")
        assert code == 0 and as_json(out) == []
    assert "(ingen rader)" in fhb("callbacks")[1]


def test_import_rejects_a_file_with_bad_rows(fhb, tmp_path: Path, db_url: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "navn;fødselsår;adresse;telefon\nKari Nordmann;1948;Storgata 5;91555555\n"
        "Ola;19x8;Vei 2;12\n",
        encoding="utf-8",
    )
    code, _, err = fhb("import", str(bad))
    assert code == 1 and "line 3" in err
    with frozen_uow(db_url) as session:
        assert engine_db.list_rows(session, Citizen) == []
    good = tmp_path / "good.csv"
    good.write_text(
        "name,birth_year,address,phone\nKari Nordmann,1948,Storgata 5,915 55 555\n"
        "Ola Hansen,1947,Fjellveien 2,\n",
        encoding="utf-8",
    )
    assert fhb("import", str(good))[0] == 0
    with frozen_uow(db_url) as session:
        people = [(c.name, c.phone, c.source) for c in engine_db.list_rows(session, Citizen)]
    assert people == [("Kari Nordmann", "+4791555555", "import"), ("Ola Hansen", None, "import")]


def test_callback_done(fhb, db_url: str) -> None:  # type: ignore[no-untyped-def]
    with frozen_uow(db_url) as session:
        callback_id = answers.add_callback(
            session, name="Kari", phone="+4791555555", topic=None, conversation_id="c"
        ).id
    assert fhb("callback-done", str(callback_id))[0] == 0
    (row,) = as_json(fhb("callbacks", "--json")[1])
    assert row["handled_at"] is not None


def test_transcript_of_an_unknown_conversation(fhb, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FHB_TRACKER_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    code, _, err = fhb("transcript", "nobody")
    assert code == 1 and "Fant ingen samtale" in err


def test_notifications_listing(fhb, db_url: str) -> None:  # type: ignore[no-untyped-def]
    with frozen_uow(db_url) as session:
        note = notifications_db.claim_notification(
            session,
            kind="reminder",
            ref="3:7",
            conversation_id="tg-x",
            channel="telegram",
            text="Husk besøket i morgen",
            buttons=None,
        )
        notifications_db.set_notification_status(session, note.id, "sent")
    (row,) = as_json(fhb("notifications", "--json")[1])
    assert (row["kind"], row["ref"], row["channel"], row["status"]) == (
        "reminder",
        "3:7",
        "telegram",
        "sent",
    )
    assert row["sent_at"] is not None and "text" not in row  # staff see what, not the words


def test_transcript_shows_the_messages_the_system_sent(
    fhb,
    db_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    import datetime as dt

    from sqlalchemy import create_engine, text

    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("FHB_TRACKER_URL", tracker)
    engine = create_engine(tracker, future=True)
    with engine.begin() as db:
        db.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"))
        said = {
            "event": "user",
            "text": "hei",
            "timestamp": dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc).timestamp(),
        }
        db.execute(
            text("INSERT INTO events (sender_id, data) VALUES ('tg-x', :d)"),
            {"d": json.dumps(said)},
        )
    engine.dispose()
    with frozen_uow(db_url) as session:
        notifications_db.claim_notification(
            session,
            kind="reminder",
            ref="3:7",
            conversation_id="tg-x",
            channel="telegram",
            text="Husk besøket i morgen",
            buttons=None,
        )
    code, out, _ = fhb("transcript", "tg-x")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert "Innbygger: hei" in lines[0]
    assert "System (påminnelse, sending): Husk besøket i morgen" in lines[1]


def test_staff_accounts_from_the_command_line(fhb, db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-passord-1\n"))
    code, out, _ = fhb("staff", "add", "kari", "--role", "admin", "--password-stdin")
    assert code == 0 and "kari (admin)" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    code, _, err = fhb("staff", "add", "ola", "--password-stdin")
    assert code == 1 and "minst 12 tegn" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-passord-1\n"))
    code, _, err = fhb("staff", "add", "kari", "--password-stdin")
    assert code == 1 and "finnes fra før" in err
    code, out, _ = fhb("staff", "list")
    assert "kari" in out and "admin" in out and "ola" not in out
    assert fhb("staff", "unlock", "kari")[0] == 0
    assert fhb("staff", "unlock", "nobody")[0] == 1
    assert fhb("staff", "disable", "kari")[0] == 0
    from bot.staff import auth as staff_auth

    with frozen_uow(db_url) as session:
        assert staff_db.staff_user(session, "kari").disabled  # and it cannot log in:
    now = NOW.replace(tzinfo=None)
    login = staff_auth.login(lambda: frozen_uow(db_url), "kari", "et-langt-passord-1", now)
    assert login.user is None
    assert fhb("staff", "enable", "kari")[0] == 0
    with frozen_uow(db_url) as session:
        assert not staff_db.staff_user(session, "kari").disabled
    assert fhb("staff", "disable", "nobody")[0] == 1
