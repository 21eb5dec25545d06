"""`fhb`: the staff command line (listings, slots, import, transcripts, purge) and `fhb run`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from bot.staff import listings as staff
from fhb.clock import Clock, system_clock
from fhb.db import answers
from fhb.db import citizens as citizens_db
from fhb.db import slots as slots_db
from fhb.db import staff as staff_db
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.migrate import upgrade
from fhb.db.models import VISIT_STATUSES
from fhb.profile import load_profile
from fhb.settings import get_settings
from fhb.slot_plan import plan_slots
from fhb.tracker import transcript_lines

LISTINGS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "visits": staff.visit_rows,
    "declines": staff.decline_rows,
    "feedback": staff.feedback_rows,
    "callbacks": staff.callback_rows,
    "notifications": staff.notification_rows,
    "slots": staff.slot_rows,
}


# The command line is the one place that uses the system clock directly (tests swap it).
CLOCK: Clock = system_clock


def unit_of_work() -> SqlAlchemyUnitOfWork:
    """One transaction on the configured database, with the command line's clock."""
    return SqlAlchemyUnitOfWork(clock=CLOCK)


def local_today(timezone: str) -> dt.date:
    """Today's date in the municipality's time zone."""
    return CLOCK().astimezone(ZoneInfo(timezone)).date()


def print_table(rows: list[dict[str, Any]], out: Any = None) -> None:
    """Print rows as an aligned text table."""
    out = out or sys.stdout
    if not rows:
        print("(ingen rader)", file=out)
        return
    columns = list(rows[0])
    cells = [
        [("" if r[c] is None else str(r[c])).replace("\n", " ")[:40] for c in columns] for r in rows
    ]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)), file=out)


def cmd_listing(args: argparse.Namespace) -> int:
    """visits / declines / feedback / callbacks / slots."""
    tz = load_profile().timezone
    with unit_of_work() as session:
        if args.command == "slots":
            rows = staff.slot_rows(session, tz, all_slots=args.all)
        else:
            rows = LISTINGS[args.command](session, tz)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_table(rows)
    return 0


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the visit database."""
    upgrade(get_settings().database_url)
    print("[fhb] databasen er klar")
    return 0


def cmd_generate_slots(args: argparse.Namespace) -> int:
    """Make slots from the profile (idempotent), skipping public holidays."""
    profile = load_profile()
    start = dt.date.fromisoformat(args.start) if args.start else local_today(profile.timezone)
    with unit_of_work() as session:
        added = slots_db.add_slots(session, plan_slots(profile, start=start, weeks=args.weeks))
    print(f"[fhb] {added} nye ledige tider")
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    """Mark a visit completed or no-show (or booked/cancelled)."""
    with unit_of_work() as session:
        try:
            visits_db.set_visit_status(session, args.visit_id, args.status)
        except LookupError:
            print(f"Fant ikke besøk {args.visit_id}", file=sys.stderr)
            return 1
    print(f"[fhb] besøk {args.visit_id}: {args.status}")
    return 0


def cmd_callback_done(args: argparse.Namespace) -> int:
    """Mark a call-back request handled."""
    with unit_of_work() as session:
        try:
            answers.mark_callback_handled(session, args.callback_id)
        except LookupError:
            print(f"Fant ikke forespørsel {args.callback_id}", file=sys.stderr)
            return 1
    print(f"[fhb] forespørsel {args.callback_id} er behandlet")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a visit list CSV; nothing is imported if a row is bad."""
    this_year = local_today(load_profile().timezone).year
    with open(args.csv, encoding="utf-8-sig") as f:
        people, problems = staff.read_citizen_csv(f, this_year=this_year)
    if problems:
        print("Ingenting importert. Rett disse linjene:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    with unit_of_work() as session:
        count = citizens_db.import_citizens(session, people)
    print(f"[fhb] {count} innbyggere importert")
    return 0


def cmd_transcript(args: argparse.Namespace) -> int:
    """Print one conversation from the tracker store, with the messages the system sent."""
    tz = load_profile().timezone
    lines = transcript_lines(get_settings().tracker_url, args.conversation_id, tz=tz)
    with unit_of_work() as session:
        sent = staff.notification_lines(session, args.conversation_id, tz)
    lines = sorted(lines + sent, key=lambda line: line[:16])  # stable: same minute keeps order
    if not lines:
        print(f"Fant ingen samtale med id {args.conversation_id}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Start the servers (and the terminal chat)."""
    from bot.launcher import run

    return run(chat=args.chat)


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat with a running bot."""
    from bot.channels.terminal.chat import chat_loop

    chat_loop(args.url or get_settings().rasa_url)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the channel server: web chat, Telegram (with a token) and the scheduler."""
    from bot.server import serve

    serve()
    return 0


def cmd_invitations(args: argparse.Namespace) -> int:
    """Codes and a printable PDF letter for imported citizens who have no code yet."""
    from bot.outreach.invitations import make_invitations

    return make_invitations(out_dir=args.out, now=CLOCK())


def cmd_staff(args: argparse.Namespace) -> int:
    """Staff accounts for the dashboard: add, list, unlock, disable, enable."""
    import getpass

    from bot.staff import auth as staff_auth

    if args.action == "list":
        with unit_of_work() as session:
            print_table(
                [
                    {
                        "username": u.username,
                        "role": u.role,
                        "locked_until": u.locked_until.isoformat() if u.locked_until else None,
                        "disabled": u.disabled,
                    }
                    for u in staff_db.list_staff_users(session)
                ]
            )
        return 0
    if not args.username:
        print("Skriv brukernavnet, for eksempel: fhb staff add kari --role admin", file=sys.stderr)
        return 2
    if args.action in ("unlock", "disable", "enable"):
        with unit_of_work() as session:
            if args.action == "unlock":
                found = staff_auth.unlock(session, args.username)
            else:
                found = staff_auth.set_disabled(session, args.username, args.action == "disable")
        done = {"unlock": "låst opp", "disable": "deaktivert", "enable": "aktivert igjen"}
        print(
            f"[fhb] {args.username} er {done[args.action]}"
            if found
            else f"Fant ingen konto {args.username}",
            file=sys.stdout if found else sys.stderr,
        )
        return 0 if found else 1
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Passord (minst 12 tegn): ")
        if getpass.getpass("Gjenta passordet: ") != password:
            print("Passordene er ikke like. Ingen konto laget.", file=sys.stderr)
            return 1
    try:
        with unit_of_work() as session:
            staff_auth.create_account(session, args.username, password, args.role)
    except ValueError:
        problems = staff_auth.check_new_account(args.username, password, args.role)
        print(
            " ".join(problems) or f"Brukernavnet {args.username} finnes fra før.", file=sys.stderr
        )
        return 1
    print(f"[fhb] konto {args.username} ({args.role}) er laget. Logg inn på /staff/login.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete conversations older than the profile's retention days (stats are kept)."""
    from bot.outreach.retention import LOG_DIR, purge, purge_logs

    days = load_profile().retention_days
    now = CLOCK()
    count = purge(unit_of_work, get_settings().tracker_url, now, days, dry_run=args.dry_run)
    purge_logs(LOG_DIR, now, days, dry_run=args.dry_run)  # old log files go too
    if args.dry_run:
        print(
            f"[fhb] {count} samtaler er eldre enn {days} dager og ville blitt slettet "
            "(prøvekjøring, ingenting er slettet)"
        )
    else:
        print(
            f"[fhb] {count} samtaler eldre enn {days} dager er slettet "
            "(tallene til rapporten er tatt vare på)"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """All sub-commands."""
    parser = argparse.ArgumentParser(prog="fhb", description="FHB-bot for kommunens ansatte")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in LISTINGS:
        p = sub.add_parser(name, help=f"list {name}")
        p.add_argument("--json", action="store_true", help="JSON array instead of a table")
        if name == "slots":
            p.add_argument("--all", action="store_true", help="include past slots")
        p.set_defaults(func=cmd_listing)
    sub.add_parser("init-db", help="create or upgrade the database").set_defaults(func=cmd_init_db)
    p = sub.add_parser("generate-slots", help="make visit slots from data/kommune.yml")
    p.add_argument("--start", help="first day, YYYY-MM-DD (default today)")
    p.add_argument("--weeks", type=int, help="how many weeks (default from the profile)")
    p.set_defaults(func=cmd_generate_slots)
    p = sub.add_parser("mark", help="set a visit's status")
    p.add_argument("visit_id", type=int)
    p.add_argument("status", choices=VISIT_STATUSES)
    p.set_defaults(func=cmd_mark)
    p = sub.add_parser("callback-done", help="mark a call-back request handled")
    p.add_argument("callback_id", type=int)
    p.set_defaults(func=cmd_callback_done)
    p = sub.add_parser("import", help="import a visit list CSV (name,birth_year,address,phone)")
    p.add_argument("csv")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("transcript", help="show one conversation")
    p.add_argument("conversation_id")
    p.set_defaults(func=cmd_transcript)
    p = sub.add_parser("run", help="start Rasa, the action server, web chat and Telegram")
    p.add_argument("--chat", action="store_true", help="also chat in this terminal")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser(
        "staff", help="staff accounts for the dashboard: add, list, unlock, disable, enable"
    )
    p.add_argument("action", choices=("add", "list", "unlock", "disable", "enable"))
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=("admin", "visitor"), default="visitor")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (for scripts)",
    )
    p.set_defaults(func=cmd_staff)
    sub.add_parser(
        "serve", help="web chat, Telegram and reminders (started by `run`)"
    ).set_defaults(func=cmd_serve)
    p = sub.add_parser("invitations", help="codes and PDF letters for imported citizens")
    p.add_argument("--out", default=None, help="folder for the PDF (default var/invitations)")
    p.set_defaults(func=cmd_invitations)
    p = sub.add_parser("purge", help="delete conversations older than retention_days")
    p.add_argument("--dry-run", action="store_true", help="only count, delete nothing")
    p.set_defaults(func=cmd_purge)
    p = sub.add_parser("chat", help="chat with a running bot in the terminal")
    p.add_argument("--url", help="Rasa's address (default FHB_RASA_URL or 127.0.0.1:5005)")
    p.set_defaults(func=cmd_chat)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `fhb` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
