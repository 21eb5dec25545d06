"""`fhb invitations` on a real SQLite file: codes, and one printed page per citizen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, Table
from sqlalchemy import select

from bot.cli import main
from bot.outreach import notices
from bot.outreach.invitations import letter_flowables, letter_styles, make_invitations
from fhb.db import citizens as citizens_db
from fhb.db import visits
from fhb.db.models import Citizen, Invitation
from fhb.invitation_codes import CODE_ALPHABET, CODE_LENGTH, normalise_code
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import NOW, frozen_uow

TODAY = NOW - dt.timedelta(days=1)  # Sunday 22 November 2026, 10:00 in Oslo
PEOPLE = [
    visits.CitizenDetails("Kari Nordmann", 1948, "Storgata 5, 3210 Fjellvik", "+4791555555"),
    visits.CitizenDetails("Ola Ås", 1947, "Bakkeveien 2", None),
    visits.CitizenDetails("Ánde Čáhppes", 1949, None, "+4741234567"),
]


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings on the test database with a public web address and no Telegram."""
    return Settings(
        database_url=db_url,
        tracker_url="sqlite://",
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://127.0.0.1:9",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
        public_web_url="https://chat.fjellvik.no",
    )


def import_people(url: str, people: list[visits.CitizenDetails]) -> None:
    """Import citizens as staff would."""
    with frozen_uow(url) as session:
        citizens_db.import_citizens(session, people)


def invitations(url: str) -> list[tuple[str, str]]:
    """(citizen name, code) of every invitation, in citizen order."""
    with frozen_uow(url) as session:
        rows = session.execute(select(Invitation).order_by(Invitation.citizen_id)).scalars()
        return [(i.citizen.name, i.code) for i in rows]


def page_texts(path: Path) -> list[str]:
    """The text of every page, with line breaks and spaces removed (URLs may wrap)."""
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(path).pages]


def test_each_imported_citizen_gets_a_code_and_a_page(
    db_url: str, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_people(db_url, PEOPLE)
    with frozen_uow(db_url) as session:  # someone who came by the chat: no letter
        session.add(Citizen(name="Per Chat", source="chat", conversation_id="web-1"))
    out = tmp_path / "brev"
    assert make_invitations(str(out), TODAY, settings) == 0

    codes = invitations(db_url)
    assert [name for name, _ in codes] == [p.name for p in PEOPLE]
    assert len({code for _, code in codes}) == len(PEOPLE)
    for _, code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
        assert normalise_code(code) == code

    pdf = out / "invitasjoner-2026-11-22.pdf"
    assert f"[fhb] 3 invitasjonsbrev laget: {pdf}" in capsys.readouterr().out
    pages = page_texts(pdf)
    assert len(pages) == len(PEOPLE)
    for page, (name, code) in zip(pages, codes, strict=True):
        assert f"Hei{name},".replace(" ", "") in page
        assert notices.group_code(code) in page
        assert "33445566" in page
        assert f"https://chat.fjellvik.no/?kode={code}" in page
        assert "22.november2026" in page
        assert "t.me" not in page


def test_a_second_run_makes_nothing_and_new_people_get_a_new_file(
    db_url: str, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_people(db_url, PEOPLE[:2])
    out = tmp_path / "brev"
    assert make_invitations(str(out), TODAY, settings) == 0
    first = invitations(db_url)
    capsys.readouterr()

    assert make_invitations(str(out), TODAY, settings) == 0
    assert "Ingen nye invitasjonsbrev" in capsys.readouterr().out
    assert invitations(db_url) == first
    assert [p.name for p in out.iterdir()] == ["invitasjoner-2026-11-22.pdf"]

    import_people(db_url, PEOPLE[2:])
    assert make_invitations(str(out), TODAY, settings) == 0
    assert invitations(db_url)[:2] == first and len(invitations(db_url)) == 3
    assert len(PdfReader(out / "invitasjoner-2026-11-22.pdf").pages) == 2  # not overwritten
    (page,) = page_texts(out / "invitasjoner-2026-11-22-2.pdf")
    assert "HeiÁndeČáhppes," in page


def test_with_a_telegram_bot_the_letter_has_the_deep_link(
    db_url: str, settings: Settings, tmp_path: Path
) -> None:
    import_people(db_url, PEOPLE[:1])
    with_bot = dataclasses.replace(settings, telegram_username="fjellvik_fhb_bot")
    assert make_invitations(str(tmp_path), TODAY, with_bot) == 0
    ((_, code),) = invitations(db_url)
    (page,) = page_texts(tmp_path / "invitasjoner-2026-11-22.pdf")
    assert f"t.me/fjellvik_fhb_bot?start={code}" in page
    assert f"https://chat.fjellvik.no/?kode={code}" in page


def test_a_failed_pdf_write_stores_no_codes(
    db_url: str, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_people(db_url, PEOPLE)
    not_a_folder = tmp_path / "brev"
    not_a_folder.write_text("a file where the folder should be")
    assert make_invitations(str(not_a_folder), TODAY, settings) == 1
    assert "Ingen koder er lagret" in capsys.readouterr().err
    assert invitations(db_url) == []
    assert make_invitations(str(tmp_path / "ok"), TODAY, settings) == 0  # a retry works
    assert len(invitations(db_url)) == len(PEOPLE)


def test_a_code_collision_is_retried(db_url: str, settings: Settings, tmp_path: Path) -> None:
    import_people(db_url, PEOPLE[:1])
    assert make_invitations(str(tmp_path), TODAY, settings, code_factory=lambda: "2222222222") == 0
    import_people(db_url, PEOPLE[1:2])
    unlucky = itertools.chain(["2222222222", "2222222222"], itertools.repeat("3333333333"))
    assert make_invitations(str(tmp_path), TODAY, settings, code_factory=lambda: next(unlucky)) == 0
    assert [code for _, code in invitations(db_url)] == ["2222222222", "3333333333"]


def test_the_cli_writes_the_letters(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FHB_DATABASE_URL", db_url)
    monkeypatch.setenv("FHB_PUBLIC_WEB_URL", "https://chat.fjellvik.no/")
    import_people(db_url, PEOPLE[:2])
    assert main(["invitations", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[fhb] 2 invitasjonsbrev laget: ")
    (pdf,) = tmp_path.glob("invitasjoner-*.pdf")
    assert len(PdfReader(pdf).pages) == 2
    assert (pdf.stat().st_mode & 0o077) == 0  # names and addresses: owner only


def flatten(flowables: list[Flowable]) -> list[Flowable]:
    """The flowables with KeepTogether groups opened."""
    flat: list[Flowable] = []
    for f in flowables:
        flat.extend(flatten(f._content) if isinstance(f, KeepTogether) else [f])
    return flat


def test_qr_codes_hold_the_links_and_type_is_large(profile: Profile) -> None:
    letter = notices.letter_text(
        profile,
        name="Kari Nordmann",
        address=None,
        code="ABCD2345XY",
        today=TODAY,
        web_url="https://chat.fjellvik.no",
        telegram_username="fjellvik_fhb_bot",
    )
    styles = letter_styles()
    assert min(style.fontSize for style in styles.values()) >= 14
    flowables = letter_flowables(letter, styles, 480)
    tables = [f for f in flatten(flowables) if isinstance(f, Table)]
    table = tables[-1]  # the first is the header with the sender and the date
    qr_values = [
        cell.contents[0].value for cell, _ in table._cellvalues if isinstance(cell, Drawing)
    ]
    assert qr_values == [w.link for w in letter.answer_ways if w.link]
    assert qr_values == [
        "https://t.me/fjellvik_fhb_bot?start=ABCD2345XY",
        "https://chat.fjellvik.no/?kode=ABCD2345XY",
    ]
