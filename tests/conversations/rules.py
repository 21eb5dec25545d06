"""The reaction table: the question recognised on the screen → this person's answer.

Facts (name, year, address, phone) are given for whoever the question is about, plainer each
time the bot asks again; a time is chosen by the person's wish and read off the buttons; the
summary is read line by line and corrected before saying yes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from tests.conversations import phrases as P
from tests.conversations.people import Facts, Goal, slot_time
from tests.conversations.screen import Ask, Screen
from tests.conversations.turn import Turn
from tests.conversations.voice import fold

if TYPE_CHECKING:
    from tests.conversations.reader import Reader

Rule = Callable[["Reader", Screen], Turn]
FACT_PHRASES = {  # (the writer's own, someone else's)
    Ask.NAME: (P.NAME, P.OTHER_NAME),
    Ask.BIRTH_YEAR: (P.YEAR, P.OTHER_YEAR),
    Ask.ADDRESS: (P.ADDRESS, P.OTHER_ADDRESS),
    Ask.PHONE: (P.PHONE, P.OTHER_PHONE),
}


# --- facts -------------------------------------------------------------------------------


def subject(r: Reader, ask: Ask, screen: Screen) -> Facts:
    """Whose fact is asked: the writer's, or the person's a relative writes for."""
    person = r.person
    if screen.is_re_ask and ask in r.subjects:
        return r.subjects[ask]
    other = person.other if person.goal.for_someone_else else None
    who = person.me
    if other is not None:
        text = screen.asking.casefold()
        if screen.about_someone_else or ask in (Ask.ADDRESS, Ask.BIRTH_YEAR):
            who = other  # the visit's address and year: a relative answers for the person
        elif ask is Ask.PHONE and "skal vi ringe" in text:
            who = other if person.goal is Goal.RELATIVE_NO_CONSENT else person.me
    r.subjects[ask] = who
    return who


def fact(r: Reader, ask: Ask, screen: Screen) -> Turn:
    """Give a name, year, address or phone, plainer each time it is asked again."""
    person = r.person
    who = subject(r, ask, screen)
    mine = who is person.me
    r.asked[ask, mine] += 1
    values = who.values(r.today.year)
    value = {
        Ask.NAME: who.name,
        Ask.BIRTH_YEAR: values["year"],
        Ask.ADDRESS: who.address,
        Ask.PHONE: who.phone,
    }[ask]
    asked = r.asked[ask, mine]
    if asked > 1 and asked % 2 == 0:
        return Turn(str(value))  # not understood: just the value
    if asked > 1:  # still not understood: a whole sentence, maybe another one
        return r.type(FACT_PHRASES[ask][0 if mine else 1], **values)
    if person.annoyed and person.all_facts_first and mine:
        return r.type(P.ALREADY_SAID, value=value)
    if ask is Ask.NAME and person.year_for_name and mine and asked == 1:
        return r.type(P.BORN, **values)
    if ask is Ask.BIRTH_YEAR and person.says_age and mine:
        return r.type(P.AGE, **values)
    if person.bundles and mine and ask is Ask.NAME:
        return Turn(f"{r.type(P.NAME, **values).text}, {r.type(P.BORN, **values).text}")
    if person.bundles and mine and ask is Ask.ADDRESS:
        return Turn(f"{r.type(P.ADDRESS, **values).text}, tlf {who.phone}")
    return r.type(FACT_PHRASES[ask][0 if mine else 1], **values)


def phone(r: Reader, screen: Screen) -> Turn:
    """A phone number, or "skip" where offered for a person who keeps it to themselves."""
    keeps_it = not r.person.gives_phone and screen.button("Hopp over") is not None
    if keeps_it and not screen.says("trenger et telefonnummer"):
        return r.press_or_type(screen, ("Hopp over",), P.NO_PHONE)
    return fact(r, Ask.PHONE, screen)


# --- times and the summary -------------------------------------------------------------


def time(r: Reader, screen: Screen) -> Turn:
    """Choose a time: say the wish until a fitting time is shown, then take it."""
    person = r.person
    r.time_tries += 1
    options = screen.time_buttons
    wish = person.wish

    def fits(index: int) -> bool:
        """The option fits the wish (or there is no wish)."""
        when = slot_time(options[index].title, r.today)
        return wish is None or (when is not None and wish.fits(when))

    fitting = [i for i in range(len(options)) if fits(i)]
    if wish is not None and not fitting and r.wish_said < 2:
        r.wish_said += 1
        return r.type(wish.words) if r.wish_said == 1 else r.type(P.ONLY_WISH)
    if not options:
        return r.type(wish.words if wish else P.ANY_TIME)
    index = fitting[min(person.choice, len(fitting) - 1)] if fitting else 0
    button = options[index]
    if r.time_tries >= 3 or r.rng.random() < person.style.presses:
        return Turn(button.title, button.payload)
    if r.time_tries == 2:
        return Turn(r.voice.dress(spoken_time(button.title)))
    return r.type(P.ORDINALS[min(index, 2)])


def wrong_in_summary(r: Reader, summary: str) -> tuple[str, str] | None:
    """The first line of the summary that is not the person's: (label, right value)."""
    who = r.person.visit_for
    shown = {
        fold(label): value.strip()
        for label, value in re.findall(r"^\s*(\w+):\s*(.+)$", summary, flags=re.M)
    }
    expected = (
        ("navn", who.name, lambda v: fold(v) == fold(who.name)),
        (
            "fodt",
            str(who.birth_year(r.today.year)),
            lambda v: v.strip() == str(who.birth_year(r.today.year)),
        ),
        ("adresse", who.address, lambda v: squeeze(v).startswith(squeeze(who.address))),
        ("telefon", who.phone, lambda v: digits(v)[-8:] == digits(who.phone)[-8:]),
    )
    labels = {"fodt": "født"}
    for label, value, right in expected:
        if label in shown and not right(shown[label]):
            return labels.get(label, label), value
    return None


def confirm(r: Reader, screen: Screen) -> Turn:
    """Check the summary (name, year, address, phone), correct it, then say yes."""
    wrong = wrong_in_summary(r, screen.asking) if screen.says("navn:") else None
    if r.person.checks_summary and wrong is not None:
        r.corrections += 1
        label, value = wrong
        if r.corrections == 1:
            return r.type(P.WRONG_DETAIL, label=label, value=value)
        if r.corrections == 2:
            return Turn(f"{label.capitalize()} {value}")  # as the bot's example shows
        r.corrections = 0  # give up on this one: stop, and start again
        return r.choose("[Avbryt]", screen)
    return r.press_or_type(screen, ("Ja",), P.YES)


def correct(r: Reader, screen: Screen) -> Turn:
    """ "What is wrong?": the first wrong detail of the last summary, as the example shows."""
    summary = r.last_summary.asking if r.last_summary else ""
    wrong = wrong_in_summary(r, summary) or ("navn", r.person.visit_for.name)
    return Turn(f"{wrong[0].capitalize()} {wrong[1]}")


def squeeze(text: str) -> str:
    """Folded and without spaces: "Kirkeveien 10 b" is "kirkeveien10b"."""
    return fold(text).replace(" ", "")


def digits(text: str) -> str:
    """Only the digits."""
    return re.sub(r"\D", "", text)


def spoken_time(title: str) -> str:
    """How a person types a time they read on a button: "onsdag 9. desember kl 10"."""
    return title.replace("kl.", "kl").replace(".00", "").strip()


def _when(goal_test: Callable[[Goal], bool], then: Rule, otherwise: Rule) -> Rule:
    """A rule that depends on the person's goal."""
    return lambda r, s: then(r, s) if goal_test(r.person.goal) else otherwise(r, s)


FEEDBACK_ONLY = (Goal.FEEDBACK,)
WANTS_CALL = (Goal.CALLBACK, Goal.PERSON, Goal.RELATIVE_NO_CONSENT)


def _callback_offer(r: Reader, s: Screen) -> Turn:
    """Accept a call-back when that is (part of) the errand."""
    goal = r.person.goal
    if goal in WANTS_CALL or (goal is Goal.TOO_YOUNG and r.person.accepts_callback):
        return r.yes(s)
    if goal is Goal.TOO_YOUNG or not goal.books:
        return r.no(s)
    return r.type(P.STILL_WANT_VISIT)


def _wants_later(r: Reader, s: Screen) -> Turn:
    """Yes for those who postpone or want to be asked again."""
    if r.person.goal is Goal.POSTPONE or r.person.wants_later:
        return r.yes(s)
    return r.no(s)


RULES: dict[Ask, Rule] = {
    Ask.SELF_OR_OTHER: _when(
        lambda g: g.for_someone_else,
        lambda r, s: r.press_or_type(s, ("Noen andre",), P.FOR_OTHER),
        lambda r, s: r.press_or_type(s, ("Meg selv",), P.MYSELF),
    ),
    Ask.RELATION: _when(
        lambda g: g.for_someone_else,
        lambda r, s: r.choose(r.person.relation_answer, s),
        lambda r, s: r.type(P.NOT_FOR_OTHER),
    ),
    Ask.NAME: lambda r, s: fact(r, Ask.NAME, s),
    Ask.BIRTH_YEAR: lambda r, s: fact(r, Ask.BIRTH_YEAR, s),
    Ask.ADDRESS: lambda r, s: fact(r, Ask.ADDRESS, s),
    Ask.PHONE: lambda r, s: phone(r, s),
    Ask.CONSENT: _when(
        lambda g: g.for_someone_else,
        lambda r, s: r.choose(r.person.consent, s),
        lambda r, s: r.type(P.NOT_FOR_OTHER),
    ),
    Ask.TIME: lambda r, s: time(r, s),
    Ask.CONFIRM: lambda r, s: confirm(r, s),
    Ask.CORRECTION: lambda r, s: correct(r, s),
    Ask.CONFIRM_CANCEL: _when(
        lambda g: g is Goal.CANCEL, lambda r, s: r.yes(s), lambda r, s: r.no(s)
    ),
    Ask.REASON: _when(
        lambda g: g in (Goal.DECLINE, Goal.POSTPONE),
        lambda r, s: r.choose(r.person.reason_answer, s),
        lambda r, s: r.type(P.STILL_WANT_VISIT),
    ),
    Ask.REASON_TEXT: lambda r, s: r.choose(r.person.reason_text, s),
    Ask.ALTERNATIVE: lambda r, s: r.choose(r.person.alternative, s),
    Ask.WANTS_LATER: _wants_later,
    Ask.LATER_WHEN: lambda r, s: r.choose(r.person.later, s),
    Ask.CALLBACK_OFFER: _callback_offer,
    Ask.TOPIC: lambda r, s: r.choose(r.person.topic, s),
    Ask.RATING: _when(
        lambda g: g in FEEDBACK_ONLY,
        lambda r, s: r.choose(r.person.rating_answer, s),
        lambda r, s: r.restate(s),
    ),
    Ask.USEFUL: lambda r, s: r.choose(r.person.useful_answer, s),
    Ask.COMMENT: lambda r, s: r.choose(r.person.comment, s),
    Ask.FEEDBACK_INVITE: _when(
        lambda g: g in FEEDBACK_ONLY,
        lambda r, s: r.press_or_type(s, ("Ja, gi tilbakemelding",), P.YES),
        lambda r, s: r.restate(s),
    ),
    Ask.ALREADY_BOOKED: lambda r, s: (
        r.choose("[Avbestille besøket]", s)
        if r.person.goal is Goal.CANCEL
        else r.choose("[Flytte besøket]", s)
        if r.person.goal is Goal.MOVE
        else r.restate(s)
    ),
    Ask.FORM_HINT: lambda r, s: r.restate(s),
    Ask.ANYTHING_ELSE: lambda r, s: r.restate(s),
    Ask.MENU: lambda r, s: r.restate(s),
    Ask.NOTHING: lambda r, s: r.restate(s),
}
