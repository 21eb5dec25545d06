"""Generate tests/test_stories.yml: Rasa conversation tests for every flow.

Run `python scripts/gen_test_stories.py > tests/test_stories.yml` after changing flows.
Forms are written turn by turn the way Rasa records them.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

Step = dict[str, Any]


def user(text: str, intent: str) -> Step:
    """A user turn."""
    return {"user": text, "intent": intent}


def act(name: str) -> Step:
    """A bot action."""
    return {"action": name}


def slot(**values: Any) -> Step:
    """Slots set."""
    return {"slot_was_set": [{k: v} for k, v in values.items()]}


def form(name: str, answers: list[tuple[str, str, str, Any]], *, start: bool = True) -> list[Step]:
    """A form asking each (slot, typed text, intent, stored value) in turn, then closing."""
    steps: list[Step] = []
    if start:
        steps += [act(name), {"active_loop": name}]
    for i, (slot_name, text, intent, value) in enumerate(answers):
        if i == 0 and start:
            steps.append(slot(requested_slot=slot_name))
        steps += [user(text, intent), act(name), slot(**{slot_name: value})]
        nxt = answers[i + 1][0] if i + 1 < len(answers) else None
        steps.append(slot(requested_slot=nxt))
    steps.append({"active_loop": None})
    return steps


BOOKING = [
    ("citizen_name", "Kari Nordmann", "inform", "Kari Nordmann"),
    ("birth_year", "1948", "inform", "1948"),
    ("address", "Storgata 5", "inform", "Storgata 5"),
    ("phone", "915 55 555", "inform", "+4791555555"),
]
CHOOSE = [("visit_slot_id", '/choose_slot{"slot_id":"3"}', "choose_slot", "3")]


def choose_and_book() -> list[Step]:
    """Choose a time, confirm, booked."""
    return [
        *form("slot_choice_form", CHOOSE),
        act("action_booking_summary"),
        user("ja, det stemmer", "affirm"),
        act("action_book_visit"),
        slot(booking_result="booked"),
    ]


def start_booking() -> list[Step]:
    """No booking yet in this conversation."""
    return [act("action_start_booking"), slot(for_whom="self", has_booking=False)]


def booking_until_eligible() -> list[Step]:
    """book_visit, the details, in the target group."""
    return [
        user("Jeg vil gjerne ha besøk", "book_visit"),
        *start_booking(),
        *form("booking_form", BOOKING),
        act("action_check_eligibility"),
        slot(eligible=True),
    ]


def all_facts_given(name: str, year: str, address: str, phone: str) -> list[Step]:
    """A first message with every fact: the form has nothing to ask, the age check passes,
    and the times are shown."""
    return [
        act("action_start_booking"),
        slot(
            for_whom="self",
            has_booking=False,
            citizen_name=name,
            birth_year=year,
            address=address,
            phone=phone,
        ),
        act("booking_form"),
        {"active_loop": "booking_form"},
        slot(requested_slot=None),
        {"active_loop": None},
        act("action_check_eligibility"),
        slot(eligible=True),
        *form("slot_choice_form", CHOOSE),
        act("action_booking_summary"),
    ]


stories: list[dict[str, Any]] = []


def story(name: str, *steps: Step | list[Step]) -> None:
    """Add a story; lists of steps are flattened."""
    flat: list[Step] = []
    for s in steps:
        flat.extend(s if isinstance(s, list) else [s])
    stories.append({"story": name, "steps": flat})


# --- Small talk and information ------------------------------------------------------------
story("greet shows the menu", user("hei", "greet"), act("action_greet"))
story(
    "good morning, long and polite",
    user("God morgen! Jeg fikk et brev fra kommunen i går.", "greet"),
    act("action_greet"),
)
story(
    "deep link from the invitation letter",
    user('/link_citizen{"invite_code":"ABCD234567"}', "link_citizen"),
    act("action_link_citizen"),
)
story("goodbye", user("ha det bra", "goodbye"), act("utter_goodbye"))
story("thanks", user("tusen takk for hjelpen", "thank"), act("utter_thank"))
story("is it a robot", user("er du en robot?", "bot_challenge"), act("utter_iamabot"))
story("help", user("hva kan du hjelpe meg med?", "help"), act("utter_help"))
story(
    "out of scope", user("hvordan blir været i morgen?", "out_of_scope"), act("utter_out_of_scope")
)
for key, text in [
    ("what_is", "hva er forebyggende hjemmebesøk?"),
    ("cost", "koster det noe?"),
    ("voluntary", "må jeg ta imot besøket?"),
    ("duration", "hvor lenge varer besøket?"),
    ("relative_present", "kan datteren min være med på besøket?"),
    ("existing_services", "jeg har trygghetsalarm, gjelder dette meg?"),
    ("interpreter", "kan jeg få tolk?"),
    ("local_offers", "hvilke aktiviteter finnes for eldre her?"),
]:
    story(f"faq {key}", user(text, f"faq/{key}"), act("action_answer_faq"))
story("a yes with nothing open gets the menu", user("ja", "affirm"), act("utter_what_now"))
story("emoji only gets the menu, never silence", user("🙂🙂🙂", "affirm"), act("utter_what_now"))
story(
    "a name with nothing open gets the menu",
    user("Kari Nordmann", "inform"),
    act("action_start_booking"),
    slot(for_whom=None, has_booking=None),
)
story(
    "a booking's details read as inform start the booking with them all",
    user("Ingrid Moen, født 1946, Granveien 24, tlf 41 23 45 67", "inform"),
    *all_facts_given("Ingrid Moen", "1946", "Granveien 24", "+4741234567"),
    user("ja", "affirm"),
    act("action_book_visit"),
    slot(booking_result="booked"),
)
story("stop with nothing going on", user("avbryt", "stop"), act("action_stop_flow"))
story(
    "old time button pressed",
    user('/choose_slot{"slot_id":"9"}', "choose_slot"),
    act("utter_old_button"),
)

# --- Booking ----------------------------------------------------------------------------------
story(
    "book a visit: happy path",
    user("hei", "greet"),
    act("action_greet"),
    booking_until_eligible(),
    choose_and_book(),
)
story(
    "book a visit from the menu button",
    user("/book_visit", "book_visit"),
    *start_booking(),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "every fact in the first message: straight to the times, then a correction",
    user(
        "Hei, jeg heter Oddny Berg, født 1947, bor i Bakkeveien 3 og telefonen min er "
        "90 12 34 56. Kan dere komme på besøk etter nyttår?",
        "book_visit",
    ),
    *all_facts_given("Oddny Berg", "1947", "Bakkeveien 3", "+4790123456"),
    user("telefonen er 91 23 45 67", "inform"),
    act("action_correct_summary"),
    slot(phone="+4791234567"),
    act("action_booking_summary"),
    user("ja", "affirm"),
    act("action_book_visit"),
    slot(booking_result="booked"),
)
story(
    "FAQ in the middle of booking, then back to the open question",
    user("jeg vil bestille besøk", "book_visit"),
    *start_booking(),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    user("Kari Nordmann", "inform"),
    act("booking_form"),
    slot(citizen_name="Kari Nordmann"),
    slot(requested_slot="birth_year"),
    user("koster det noe?", "faq/cost"),
    act("action_answer_in_form"),
    act("booking_form"),
    slot(requested_slot="birth_year"),
    *form("booking_form", BOOKING[1:], start=False),
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "stop in the middle of booking",
    user("kan dere komme på besøk?", "book_visit"),
    *start_booking(),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    user("avbryt", "stop"),
    act("action_deactivate_loop"),
    {"active_loop": None},
    act("action_stop_flow"),
)
story(
    "a deep link opened in the middle of booking",
    user("jeg vil ha besøk", "book_visit"),
    *start_booking(),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    user('/link_citizen{"invite_code":"ABCD234567"}', "link_citizen"),
    act("action_deactivate_loop"),
    {"active_loop": None},
    act("action_link_citizen"),
)
story(
    "asks for a person in the middle of booking",
    user("jeg vil ha besøk", "book_visit"),
    *start_booking(),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    user("kan jeg heller snakke med et menneske?", "request_human"),
    act("action_deactivate_loop"),
    {"active_loop": None},
    act("action_human_handoff"),
    user("nei takk", "deny"),
    act("utter_callback_not_wanted"),
)
story(
    "invalid phone number is asked again",
    user("jeg vil ha besøk", "book_visit"),
    *start_booking(),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    *form("booking_form", BOOKING[:3] + [("phone", "123", "inform", None)], start=False)[:-2],
    slot(requested_slot="phone"),
    user("915 55 555", "inform"),
    act("booking_form"),
    slot(phone="+4791555555"),
    slot(requested_slot=None),
    {"active_loop": None},
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "more times, then a typed wish, then a time",
    booking_until_eligible(),
    act("slot_choice_form"),
    {"active_loop": "slot_choice_form"},
    slot(requested_slot="visit_slot_id"),
    user("vis flere tider", "more_slots"),
    act("slot_choice_form"),
    slot(slot_page=1.0),
    slot(requested_slot="visit_slot_id"),
    user("neste tirsdag formiddag", "inform"),
    act("slot_choice_form"),
    slot(time_wish="neste tirsdag formiddag"),
    slot(requested_slot="visit_slot_id"),
    *form("slot_choice_form", CHOOSE, start=False),
    act("action_booking_summary"),
    user("ja", "affirm"),
    act("action_book_visit"),
    slot(booking_result="booked"),
)
story(
    "summary not right: choose another time",
    booking_until_eligible(),
    *form("slot_choice_form", CHOOSE),
    act("action_booking_summary"),
    user("nei", "deny"),
    act("action_choose_again"),
    choose_and_book(),
)
story(
    "the time was taken meanwhile: choose again",
    booking_until_eligible(),
    *form("slot_choice_form", CHOOSE),
    act("action_booking_summary"),
    user("ja takk", "affirm"),
    act("action_book_visit"),
    slot(booking_result="taken"),
    choose_and_book(),
)
story(
    "outside the target group: wants a call-back",
    user("jeg vil ha besøk", "book_visit"),
    *start_booking(),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=False),
    user("ja", "affirm"),
    act("action_prepare_callback"),
    *form("callback_form", [("callback_topic", "hopp over", "skip", "-")]),
    act("action_save_callback"),
)
story(
    "outside the target group: no call-back",
    user("jeg vil ha besøk", "book_visit"),
    *start_booking(),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=False),
    user("nei takk", "deny"),
    act("utter_callback_not_wanted"),
)

# --- Relatives -------------------------------------------------------------------------------
RELATIVE = [
    ("relation", '/inform{"relation":"barn"}', "inform", "barn"),
    ("relative_name", "Per Nordmann", "inform", "Per Nordmann"),
    ("relative_phone", "412 34 567", "inform", "+4741234567"),
]


def no_consent_call_back() -> list[Step]:
    """No consent: the bot says so and takes a call-back request for the citizen."""
    return [
        act("action_check_consent"),
        slot(consent_given=False),
        act("action_prepare_callback"),
        *form(
            "callback_form",
            [
                ("callback_name", "Hans Nordmann", "inform", "Hans Nordmann"),
                ("callback_phone", "915 55 555", "inform", "+4791555555"),
            ],
        ),
        act("action_save_callback"),
    ]


story(
    "relative books with the citizen's consent",
    user("jeg spør på vegne av mora mi", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    *form("relative_form", RELATIVE + [("citizen_consent", "ja", "affirm", True)]),
    act("action_check_consent"),
    slot(consent_given=True),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "relative without consent: call-back for the citizen",
    user("jeg skriver for faren min", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    *form("relative_form", RELATIVE + [("citizen_consent", "nei", "deny", False)]),
    *no_consent_call_back(),
)
story(
    "a relative's 'not yet' is no consent: call-back for the citizen",
    user("jeg skriver for faren min", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    *form(
        "relative_form",
        RELATIVE
        + [
            (
                "citizen_consent",
                "nei, han vet ikke om det enda, jeg ville sporre dere forst",
                "postpone_visit",
                False,
            )
        ],
    ),
    *no_consent_call_back(),
)
story(
    "a family word is no request for someone else: she books for herself",
    user("Datteren min sa jeg skulle prøve denne chatten, jeg vil gjerne ha besøk", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="self", on_behalf=False),
    *start_booking(),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "unclear for whom: ask, then the relative's questions",
    user("hei, det gjelder et besøk i familien", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="ask"),
    user("/on_behalf", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    *form("relative_form", RELATIVE + [("citizen_consent", "ja", "affirm", True)]),
    act("action_check_consent"),
    slot(consent_given=True),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=True),
    choose_and_book(),
)
story(
    "a request for mother read as book_visit goes to the relative's questions",
    user("jeg vil bestille besøk til mor mi", "book_visit"),
    act("action_start_booking"),
    slot(for_whom="other", has_booking=None),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    *form("relative_form", RELATIVE + [("citizen_consent", "vet ikke", "deny", False)]),
    *no_consent_call_back(),
)
story(
    "relative stops",
    user("jeg er datteren til Ingrid", "on_behalf"),
    act("action_start_on_behalf"),
    slot(for_whom="other", on_behalf=True),
    act("relative_form"),
    {"active_loop": "relative_form"},
    slot(requested_slot="relation"),
    user("stopp", "stop"),
    act("action_deactivate_loop"),
    {"active_loop": None},
    act("action_stop_flow"),
)

# --- Decline and postpone ---------------------------------------------------------------------
story(
    "decline with a reason button and a later visit",
    user("nei takk, jeg vil ikke ha besøk", "decline_visit"),
    act("action_start_decline"),
    *form(
        "decline_form",
        [
            ("decline_reason", '/inform{"decline_reason":"no_need"}', "inform", "no_need"),
            ("wants_later", "ja", "affirm", True),
            ("later_when", "til våren", "inform", "til våren"),
            ("citizen_name", "Ola Hansen", "inform", "Ola Hansen"),
            ("decline_phone", "hopp over", "skip", "-"),
        ],
    ),
    act("action_save_decline"),
)
story(
    "decline, not at home: alternatives offered",
    user("jeg ønsker ikke besøk", "decline_visit"),
    act("action_start_decline"),
    *form(
        "decline_form",
        [
            ("decline_reason", '/inform{"decline_reason":"not_at_home"}', "inform", "not_at_home"),
            ("alternative", '/inform{"alternative":"phone"}', "inform", "phone"),
            ("wants_later", "nei", "deny", False),
            ("citizen_name", "Ola Hansen", "inform", "Ola Hansen"),
            ("decline_phone", "915 55 555", "inform", "+4791555555"),
        ],
    ),
    act("action_save_decline"),
)
story(
    "decline with FAQ in the middle",
    user("jeg takker nei til besøket", "decline_visit"),
    act("action_start_decline"),
    act("decline_form"),
    {"active_loop": "decline_form"},
    slot(requested_slot="decline_reason"),
    user("må jeg ta imot besøket?", "faq/voluntary"),
    act("action_answer_in_form"),
    act("decline_form"),
    slot(requested_slot="decline_reason"),
    *form(
        "decline_form",
        [
            ("decline_reason", "hopp over", "skip", "other"),
            ("wants_later", "nei", "deny", False),
            ("citizen_name", "Ola Hansen", "inform", "Ola Hansen"),
            ("decline_phone", "hopp over", "skip", "-"),
        ],
        start=False,
    ),
    act("action_save_decline"),
)
story(
    "postpone: not now, maybe in spring",
    user("ikke nå, men kanskje til våren?", "postpone_visit"),
    act("action_start_postpone"),
    slot(wants_later=True, decline_reason="bad_timing"),
    *form(
        "decline_form",
        [
            ("later_when", "til våren", "inform", "til våren"),
            ("citizen_name", "Ola Hansen", "inform", "Ola Hansen"),
            ("decline_phone", "hopp over", "skip", "-"),
        ],
    ),
    act("action_save_decline"),
)


def visit_after_all_then_booking() -> list[Step]:
    """action_book_after_all leaves the form, and the booking runs to the end."""
    return [
        act("action_book_after_all"),
        slot(visit_after_all=True),
        act("action_deactivate_loop"),
        {"active_loop": None},
        *start_booking(),
        *form("booking_form", BOOKING),
        act("action_check_eligibility"),
        slot(eligible=True),
        *choose_and_book(),
    ]


story(
    "a no, then a visit after all: nothing of the no is kept, the booking starts",
    user("nei takk, jeg vil ikke ha besøk", "decline_visit"),
    act("action_start_decline"),
    act("decline_form"),
    {"active_loop": "decline_form"},
    slot(requested_slot="decline_reason"),
    user("nei vent, jeg vil ha besøk likevel", "book_visit"),
    *visit_after_all_then_booking(),
)

# --- Feedback -------------------------------------------------------------------------------
FEEDBACK = [
    ("rating", '/inform{"rating":"5"}', "inform", "5"),
    ("useful", '/inform{"useful":"yes"}', "inform", "yes"),
    ("comment", "Hyggelig og nyttig besøk, takk!", "inform", "Hyggelig og nyttig besøk, takk!"),
]
story(
    "feedback after the visit",
    user("jeg vil gi tilbakemelding på besøket", "give_feedback"),
    act("utter_feedback_intro"),
    *form("feedback_form", FEEDBACK),
    act("action_save_feedback"),
)
story(
    "feedback without a comment",
    user("/give_feedback", "give_feedback"),
    act("utter_feedback_intro"),
    *form("feedback_form", FEEDBACK[:2] + [("comment", "hopp over", "skip", "-")]),
    act("action_save_feedback"),
)

# --- Cancel, move, check ----------------------------------------------------------------------
story(
    "cancel a booking",
    user("jeg må avbestille besøket", "cancel_visit"),
    act("action_find_booking"),
    slot(has_booking=True),
    act("utter_ask_confirm_cancel"),
    user("ja", "affirm"),
    act("action_cancel_visit"),
)
story(
    "cancel, then keep it",
    user("jeg vil avbestille", "cancel_visit"),
    act("action_find_booking"),
    slot(has_booking=True),
    act("utter_ask_confirm_cancel"),
    user("nei", "deny"),
    act("utter_keep_booking"),
)
story(
    "cancel without a booking in this chat",
    user("avbestille besøk", "cancel_visit"),
    act("action_find_booking"),
    slot(has_booking=False),
)
story(
    "move a booking",
    user("kan vi flytte besøket?", "reschedule_visit"),
    act("action_find_booking"),
    slot(has_booking=True),
    act("action_start_reschedule"),
    *form("slot_choice_form", CHOOSE),
    act("action_booking_summary"),
    user("ja", "affirm"),
    act("action_book_visit"),
    slot(booking_result="booked"),
)
story(
    "book again while a visit is booked",
    user("jeg vil bestille et besøk", "book_visit"),
    act("action_start_booking"),
    slot(for_whom="self", has_booking=True),
    user("/reschedule_visit", "reschedule_visit"),
    act("action_find_booking"),
    slot(has_booking=True),
    act("action_start_reschedule"),
    *form("slot_choice_form", CHOOSE),
    act("action_booking_summary"),
    user("ja", "affirm"),
    act("action_book_visit"),
    slot(booking_result="booked"),
)
story("check a booking", user("når kommer dere?", "check_booking"), act("action_check_booking"))

# --- A person ---------------------------------------------------------------------------------
story(
    "asks for a person and a call-back",
    user("kan jeg snakke med noen?", "request_human"),
    act("action_human_handoff"),
    user("ja takk", "affirm"),
    act("action_prepare_callback"),
    *form(
        "callback_form",
        [
            ("callback_name", "Kari Nordmann", "inform", "Kari Nordmann"),
            ("callback_phone", "915 55 555", "inform", "+4791555555"),
            ("callback_topic", "spørsmål om besøket", "inform", "spørsmål om besøket"),
        ],
    ),
    act("action_save_callback"),
)
story(
    "asks for a person, then books a visit instead of a call-back",
    user("kan jeg snakke med et menneske", "request_human"),
    act("action_human_handoff"),
    user("nei da vil jeg heller bestille besøk", "book_visit"),
    *start_booking(),
    *form("booking_form", BOOKING),
    act("action_check_eligibility"),
    slot(eligible=True),
    *choose_and_book(),
)
story(
    "a call-back's questions, then a visit instead",
    user("kan jeg snakke med noen?", "request_human"),
    act("action_human_handoff"),
    user("ja takk", "affirm"),
    act("action_prepare_callback"),
    act("callback_form"),
    {"active_loop": "callback_form"},
    slot(requested_slot="callback_name"),
    user("nei, ikke ring meg. jeg vil heller ha besøk hjem", "book_visit"),
    *visit_after_all_then_booking(),
)
story(
    "asks for a person, no call-back",
    user("hva er telefonnummeret deres?", "request_human"),
    act("action_human_handoff"),
    user("nei", "deny"),
    act("utter_callback_not_wanted"),
)
story(
    "the call-back button sent when nobody answered in the chat",
    user("/request_callback", "request_callback"),
    act("action_prepare_callback"),
    *form(
        "callback_form",
        [
            ("callback_name", "Kari Nordmann", "inform", "Kari Nordmann"),
            ("callback_phone", "915 55 555", "inform", "+4791555555"),
            ("callback_topic", "hopp over", "skip", "-"),
        ],
    ),
    act("action_save_callback"),
)
story(
    "the call-back button pressed in the middle of a booking",
    user("jeg vil gjerne ha besøk", "book_visit"),
    act("action_start_booking"),
    slot(for_whom="self", has_booking=False),
    act("booking_form"),
    {"active_loop": "booking_form"},
    slot(requested_slot="citizen_name"),
    user("/request_callback", "request_callback"),
    act("action_deactivate_loop"),
    {"active_loop": None},
    act("action_prepare_callback"),
    *form(
        "callback_form",
        [
            ("callback_name", "Kari Nordmann", "inform", "Kari Nordmann"),
            ("callback_phone", "915 55 555", "inform", "+4791555555"),
            ("callback_topic", "hopp over", "skip", "-"),
        ],
    ),
    act("action_save_callback"),
)
story(
    "two misunderstandings in a row offer a person",
    user("/nlu_fallback", "nlu_fallback"),
    act("utter_rephrase"),
    user("/nlu_fallback", "nlu_fallback"),
    act("utter_fallback_person"),
    user("ja", "affirm"),
    act("action_prepare_callback"),
    *form(
        "callback_form",
        [
            ("callback_name", "Kari Nordmann", "inform", "Kari Nordmann"),
            ("callback_phone", "915 55 555", "inform", "+4791555555"),
            ("callback_topic", "hopp over", "skip", "-"),
        ],
    ),
    act("action_save_callback"),
)

yaml.safe_dump(
    {"version": "3.1", "stories": stories},
    sys.stdout,
    allow_unicode=True,
    sort_keys=False,
    width=100,
)
