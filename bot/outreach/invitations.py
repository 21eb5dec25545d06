"""`fhb invitations`: a personal code and a printed letter for each imported citizen.

Every imported citizen without a code gets one (short, unguessable, for that citizen only)
and one page in a single printable PDF: the offer in plain Norwegian, QR codes for the chat
on Telegram and on the web (each carrying the code), the phone number, and the code itself
for typing. All codes are stored and the PDF is written, or nothing is: the PDF is written
inside the transaction, and the codes are committed only after it.

The words of the letter live in `bot.notices.letter_text`; this module does codes and layout.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import sys
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.outreach import notices
from fhb.db import citizens as citizens_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.invitation_codes import CODE_ALPHABET, CODE_LENGTH
from fhb.profile import Profile, load_profile
from fhb.settings import ROOT, Settings, get_settings

MAX_CODE_ATTEMPTS = 20
QR_SIZE = 26 * mm
MARGIN = 20 * mm
# Fonts with the Sami letters (č, đ, ŋ, š, ŧ, ž) for names; Helvetica when none is installed.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)


def new_code() -> str:
    """A fresh random code from the unambiguous alphabet (about 49 bits).

    It always mixes digits and letters, so a typed code is never mistaken for a word
    (`bot.relay.typed_code`).
    """
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def unused_code(session: Session, code_factory: Callable[[], str] = new_code) -> str:
    """A code no invitation has yet; retry on the rare collision."""
    for _ in range(MAX_CODE_ATTEMPTS):
        code = code_factory()
        if citizens_db.invitation_by_code(session, code) is None:
            return code
    raise RuntimeError(f"no unused invitation code after {MAX_CODE_ATTEMPTS} attempts")


# --- layout ---------------------------------------------------------------------------


def letter_fonts() -> tuple[str, str]:
    """Register a TrueType font pair if one is installed; return (regular, bold) names."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    if {"FHBSans", "FHBSans-Bold"} <= registered:
        return "FHBSans", "FHBSans-Bold"
    for regular, bold in FONT_CANDIDATES:
        if not (Path(regular).is_file() and Path(bold).is_file()):
            continue
        try:
            pdfmetrics.registerFont(TTFont("FHBSans", regular))
            pdfmetrics.registerFont(TTFont("FHBSans-Bold", bold))
        except TTFError:
            continue
        return "FHBSans", "FHBSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def letter_styles() -> dict[str, ParagraphStyle]:
    """Large type for older readers: body 14 pt, nothing under 14 pt."""
    regular, bold = letter_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=14, leading=17.5, spaceAfter=6)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=bold, spaceAfter=1),
        "sender": ParagraphStyle("sender", parent=body, fontName=bold, fontSize=16, leading=20),
        "date": ParagraphStyle("date", parent=body, alignment=TA_RIGHT),
        "address": ParagraphStyle("address", parent=body, spaceAfter=0),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=bold,
            fontSize=18,
            leading=23,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=bold,
            fontSize=16,
            leading=20,
            spaceBefore=2,
            spaceAfter=4,
        ),
        "code": ParagraphStyle(
            "code", parent=body, fontName=bold, fontSize=16, leading=20, spaceBefore=4, spaceAfter=2
        ),
    }


def qr_drawing(value: str, size: float = QR_SIZE) -> Drawing:
    """A QR code (reportlab's own widget) scaled to `size` points square."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold '&' or '<')."""
    return Paragraph(escape(text), style)


def letter_flowables(
    letter: notices.LetterText, styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    """One letter as flowables that fill one A4 page."""
    header = Table(
        [[_p(letter.sender, styles["sender"]), _p(letter.date, styles["date"])]],
        colWidths=[width * 0.6, width * 0.4],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    bold = styles["bold"].fontName
    rows = []
    for way in letter.answer_ways:
        mark: Flowable | str = qr_drawing(way.link) if way.link else ""
        text = f'<font name="{bold}">{escape(way.title)}:</font> {escape(way.text)}'
        rows.append([mark, Paragraph(text, styles["body"])])
    ways = Table(rows, colWidths=[QR_SIZE + 5 * mm, width - QR_SIZE - 5 * mm])
    ways.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        header,
        Spacer(1, 4 * mm),
        *(_p(line, styles["address"]) for line in letter.address_lines),
        _p(letter.title, styles["title"]),
        _p(letter.greeting, styles["body"]),
        *(_p(text, styles["body"]) for text in letter.paragraphs),
        KeepTogether([_p(letter.answer_heading, styles["heading"]), ways]),
        _p(letter.code_line, styles["code"]),
        _p(letter.code_note, styles["body"]),
        *(_p(text, styles["body"]) for text in letter.closing_paragraphs),
        *(_p(line, styles["address"]) for line in letter.signature),
    ]


def render_pdf(letters: Iterable[notices.LetterText], *, author: str) -> tuple[bytes, int]:
    """All letters in one A4 PDF, one page each; return the PDF and its page count."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=12 * mm,
        title="Invitasjoner til forebyggende hjemmebesøk",
        author=author,
        creator="FHB-bot",
    )
    styles = letter_styles()
    story: list[Flowable] = []
    for letter in letters:
        if story:
            story.append(PageBreak())
        story.extend(letter_flowables(letter, styles, doc.width))
    doc.build(story)
    return buffer.getvalue(), doc.page


def write_private(folder: Path, today: dt.date, data: bytes) -> Path:
    """Write the PDF as a new file only its owner can read (it holds names and addresses)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 100):
        suffix = "" if n == 1 else f"-{n}"
        path = folder / f"invitasjoner-{today.isoformat()}{suffix}.pdf"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"too many invitation files for {today.isoformat()} in {folder}")


# --- the command ----------------------------------------------------------------------


def _codes_and_pdf(
    settings: Settings,
    profile: Profile,
    folder: Path,
    now: dt.datetime,
    code_factory: Callable[[], str],
    written: list[Path],
) -> int:
    """Create the codes and write the PDF in one transaction; return how many letters."""
    today = now.astimezone(ZoneInfo(profile.timezone)).date()
    with SqlAlchemyUnitOfWork(settings.database_url, clock=lambda: now) as session:
        citizens = citizens_db.citizens_without_invitation(session)
        if not citizens:
            return 0
        letters = []
        for citizen in citizens:
            code = unused_code(session, code_factory)
            citizens_db.add_invitation(session, citizen.id, code)
            letters.append(
                notices.letter_text(
                    profile,
                    name=citizen.name,
                    address=citizen.address,
                    code=code,
                    today=today,
                    web_url=settings.web_url,
                    telegram_username=settings.telegram_username,
                )
            )
        pdf, pages = render_pdf(letters, author=profile.name)
        written.append(write_private(folder, today, pdf))
    if pages != len(letters):
        print(
            "[fhb] Merk: Noen brev ble lengre enn én side. Kort ned tekstene om pris og "
            "tolk i kommuneprofilen (data/kommune.yml).",
            file=sys.stderr,
        )
    return len(letters)


def _shown(path: Path) -> str:
    """The path relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def make_invitations(
    out_dir: str | None,
    now: dt.datetime,
    settings: Settings | None = None,
    *,
    code_factory: Callable[[], str] = new_code,
) -> int:
    """Codes and one PDF for imported citizens without a code; return the exit code."""
    settings = settings or get_settings()
    profile = load_profile(settings.profile_path)
    folder = Path(out_dir) if out_dir else ROOT / "var" / "invitations"
    written: list[Path] = []
    try:
        count = _codes_and_pdf(settings, profile, folder, now, code_factory, written)
    except BaseException as e:
        for path in written:  # the codes were not committed: the letters must go too
            path.unlink(missing_ok=True)
        if isinstance(e, OSError):
            print(
                f"[fhb] Klarte ikke å skrive PDF-filen i {folder}: {e.strerror or e}. "
                "Ingen koder er lagret.",
                file=sys.stderr,
            )
            return 1
        if isinstance(e, IntegrityError):
            print(
                "[fhb] Noen andre laget brev samtidig. Ingen koder er lagret. Prøv igjen.",
                file=sys.stderr,
            )
            return 1
        raise
    if count == 0:
        print("[fhb] Ingen nye invitasjonsbrev å lage. Alle importerte innbyggere har kode.")
        return 0
    print(f"[fhb] {count} invitasjonsbrev laget: {_shown(written[0])}")
    return 0
