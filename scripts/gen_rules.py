"""Generate data/stories/rules.yml (run: python scripts/gen_rules.py > data/stories/rules.yml).

Every form gets the same digressions (FAQ, a person, stop); writing them by hand invites drift.
"""

import yaml

FORMS = [
    "booking_form",
    "relative_form",
    "slot_choice_form",
    "decline_form",
    "feedback_form",
    "callback_form",
]
rules: list[dict[str, object]] = []


def R(name, steps, condition=None, **kw):
    r = {"rule": name}
    if condition:
        r["condition"] = condition
    r.update(kw)
    r["steps"] = steps
    rules.append(r)


# Simple answers
for intent, action in [
    ("greet", "action_greet"),
    ("goodbye", "utter_goodbye"),
    ("thank", "utter_thank"),
    ("bot_challenge", "utter_iamabot"),
    ("help", "utter_help"),
    ("out_of_scope", "utter_out_of_scope"),
    ("faq", "action_answer_faq"),
    ("check_booking", "action_check_booking"),
    ("stop", "action_stop_flow"),
]:
    R(f"answer {intent}", [{"intent": intent}, {"action": action}])
# Misunderstandings are answered by responses and rules alone, never by a custom action:
# they must work while the action server is down or restarting.
R(
    "not understood once: ask to rephrase",
    [{"intent": "nlu_fallback"}, {"action": "utter_rephrase"}],
)
R(
    "not understood twice in a row: offer a person",
    [
        {"action": "utter_rephrase"},
        {"intent": "nlu_fallback"},
        {"action": "utter_fallback_person"},
    ],
    conversation_start=False,
)
R(
    "second misunderstanding: wants a call-back",
    [
        {"action": "utter_fallback_person"},
        {"intent": "affirm"},
        {"action": "action_prepare_callback"},
    ],
    conversation_start=False,
    wait_for_user_input=False,
)
R(
    "second misunderstanding: no call-back",
    [
        {"action": "utter_fallback_person"},
        {"intent": "deny"},
        {"action": "utter_callback_not_wanted"},
    ],
    conversation_start=False,
)
# A yes, no, value or skip with nothing open (also what emoji-only or garbage text often looks
# like to the NLU): ask what the user wants instead of staying silent. Longer rules win.
for intent in ("affirm", "deny", "skip"):
    R(f"{intent} with nothing open", [{"intent": intent}, {"action": "utter_what_now"}])
# Details with nothing open: a booking's details start a booking with them all
# ("Jeg heter Oddny Berg, født 1947, ..."); anything less gets the menu (action_start_booking).
R(
    "inform with nothing open",
    [{"intent": "inform"}, {"action": "action_start_booking"}],
    wait_for_user_input=False,
)
R(
    "details that are no request: the menu",
    [
        {"action": "action_start_booking"},
        {"slot_was_set": [{"for_whom": None}, {"has_booking": None}]},
    ],
    conversation_start=False,
)
R(
    "an old time button pressed outside the time question",
    [{"intent": "choose_slot"}, {"action": "utter_old_button"}],
)
R(
    "more times asked outside the time question",
    [{"intent": "more_slots"}, {"action": "utter_old_button"}],
)
R("ask for a person", [{"intent": "request_human"}, {"action": "action_human_handoff"}])
R(
    "a deep link from the invitation letter",
    [{"intent": "link_citizen"}, {"action": "action_link_citizen"}],
)
R(
    "wants a call-back after hearing the phone number",
    [
        {"action": "action_human_handoff"},
        {"intent": "affirm"},
        {"action": "action_prepare_callback"},
        {"action": "callback_form"},
        {"active_loop": "callback_form"},
    ],
    conversation_start=False,
)
R(
    "no call-back after hearing the phone number",
    [
        {"action": "action_human_handoff"},
        {"intent": "deny"},
        {"action": "utter_callback_not_wanted"},
    ],
)
R(
    "a call-back prepared: its questions ('kan dere ringe meg?' comes here from the hand-over)",
    [
        {"action": "action_prepare_callback"},
        {"action": "callback_form"},
        {"active_loop": "callback_form"},
    ],
    conversation_start=False,
)
R(
    "a call-back asked for with a button (after nobody answered in the chat)",
    [
        {"intent": "request_callback"},
        {"action": "action_prepare_callback"},
        {"action": "callback_form"},
        {"active_loop": "callback_form"},
    ],
)
R(
    "call-back form done",
    [
        {"action": "callback_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_save_callback"},
    ],
    condition=[{"active_loop": "callback_form"}],
)

# Digressions inside every form: FAQ, a person, stop, and the off-topic basics
for form in FORMS:
    # A question is answered, a plain answer the classifier misread is left to the form,
    # an old button is said to be old; the form then goes on (no dead end).
    digressions = ["faq"] if form == "slot_choice_form" else ["faq", "more_slots", "choose_slot"]
    for intent in digressions:
        R(
            f"{intent} inside {form}",
            [
                {"intent": intent},
                {"action": "action_answer_in_form"},
                {"action": form},
                {"active_loop": form},
            ],
            condition=[{"active_loop": form}],
        )
    R(
        f"stop inside {form}",
        [
            {"intent": "stop"},
            {"action": "action_deactivate_loop"},
            {"active_loop": None},
            {"action": "action_stop_flow"},
        ],
        condition=[{"active_loop": form}],
    )
    R(
        f"deep link inside {form}",
        [
            {"intent": "link_citizen"},
            {"action": "action_deactivate_loop"},
            {"active_loop": None},
            {"action": "action_link_citizen"},
        ],
        condition=[{"active_loop": form}],
    )
    R(
        f"person inside {form}",
        [
            {"intent": "request_human"},
            {"action": "action_deactivate_loop"},
            {"active_loop": None},
            {"action": "action_human_handoff"},
        ],
        condition=[{"active_loop": form}],
    )
    if form == "callback_form":
        R(
            f"call-back button inside {form}",
            [{"intent": "request_callback"}, {"action": form}, {"active_loop": form}],
            condition=[{"active_loop": form}],
        )
    else:
        R(
            f"call-back button inside {form}",
            [
                {"intent": "request_callback"},
                {"action": "action_deactivate_loop"},
                {"active_loop": None},
                {"action": "action_prepare_callback"},
                {"action": "callback_form"},
                {"active_loop": "callback_form"},
            ],
            condition=[{"active_loop": form}],
        )

# A visit after all, in the middle of saying no or of a call-back's questions ("nei, jeg vil
# heller bestille besøk"): nothing of that errand is stored, and the booking starts. (Its
# answers were once taken as the reason for a no, and a decline with the person's name and
# phone was stored for someone who wanted a visit.) A message that answers the question
# asked ("til våren vil jeg gjerne ha besøk" to "when shall we ask again?", a name read as
# book_visit) stays with the form: action_book_after_all decides.
for form in ("decline_form", "callback_form"):
    R(
        f"a visit after all inside {form}",
        [
            {"intent": "book_visit"},
            {"action": "action_book_after_all"},
            {"slot_was_set": [{"visit_after_all": True}]},
            {"action": "action_deactivate_loop"},
            {"active_loop": None},
            {"action": "action_start_booking"},
        ],
        condition=[{"active_loop": form}],
        wait_for_user_input=False,
    )
    R(
        f"an answer to {form}'s question, read as a wish for a visit",
        [
            {"intent": "book_visit"},
            {"action": "action_book_after_all"},
            {"slot_was_set": [{"visit_after_all": False}]},
            {"action": form},
            {"active_loop": form},
        ],
        condition=[{"active_loop": form}],
    )

# Booking
R(
    "book a visit",
    [{"intent": "book_visit"}, {"action": "action_start_booking"}],
    wait_for_user_input=False,
)
R(
    "no visit booked yet: the person's details",
    [
        {"action": "action_start_booking"},
        {"slot_was_set": [{"for_whom": "self"}, {"has_booking": False}]},
        {"action": "booking_form"},
        {"active_loop": "booking_form"},
    ],
    conversation_start=False,
)
R(
    "book a visit, but one is booked already",
    [
        {"action": "action_start_booking"},
        {"slot_was_set": [{"for_whom": "self"}, {"has_booking": True}]},
    ],
    conversation_start=False,
)
R(
    "a visit for someone else: the relative's questions first",
    [
        {"action": "action_start_booking"},
        {"slot_was_set": [{"for_whom": "other"}, {"has_booking": None}]},
        {"action": "action_start_on_behalf"},
    ],
    conversation_start=False,
    wait_for_user_input=False,
)
R(
    "booking form done: check the age group",
    [
        {"action": "booking_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_check_eligibility"},
    ],
    condition=[{"active_loop": "booking_form"}],
    wait_for_user_input=False,
)
R(
    "in the target group: choose a time",
    [
        {"action": "action_check_eligibility"},
        {"slot_was_set": [{"eligible": True}]},
        {"action": "slot_choice_form"},
        {"active_loop": "slot_choice_form"},
    ],
    conversation_start=False,
)
R(
    "outside the target group: wants a call-back",
    [
        {"action": "action_check_eligibility"},
        {"slot_was_set": [{"eligible": False}]},
        {"action": "action_listen"},
        {"intent": "affirm"},
        {"action": "action_prepare_callback"},
        {"action": "callback_form"},
        {"active_loop": "callback_form"},
    ],
    conversation_start=False,
)
R(
    "outside the target group: no call-back",
    [
        {"action": "action_check_eligibility"},
        {"slot_was_set": [{"eligible": False}]},
        {"action": "action_listen"},
        {"intent": "deny"},
        {"action": "utter_callback_not_wanted"},
    ],
    conversation_start=False,
)
R(
    "time chosen: summarise",
    [
        {"action": "slot_choice_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_booking_summary"},
    ],
    condition=[{"active_loop": "slot_choice_form"}],
)
R(
    "summary confirmed: book",
    [{"action": "action_booking_summary"}, {"intent": "affirm"}, {"action": "action_book_visit"}],
    conversation_start=False,
    wait_for_user_input=False,
)
for result in ("booked", "error"):
    R(
        f"booking result {result}: wait for the user",
        [{"action": "action_book_visit"}, {"slot_was_set": [{"booking_result": result}]}],
        conversation_start=False,
    )
R(
    "a correction to the summary: show it again",
    [
        {"action": "action_booking_summary"},
        {"intent": "inform"},
        {"action": "action_correct_summary"},
        {"action": "action_booking_summary"},
    ],
    conversation_start=False,
)
R(
    "a question at the summary: answer, then the summary again",
    [
        {"action": "action_booking_summary"},
        {"intent": "faq"},
        {"action": "action_answer_faq"},
        {"action": "action_booking_summary"},
    ],
    conversation_start=False,
)
R(
    "summary not right: choose another time",
    [
        {"action": "action_booking_summary"},
        {"intent": "deny"},
        {"action": "action_choose_again"},
        {"action": "slot_choice_form"},
        {"active_loop": "slot_choice_form"},
    ],
    conversation_start=False,
)
R(
    "slot taken meanwhile: choose again",
    [
        {"action": "action_book_visit"},
        {"slot_was_set": [{"booking_result": "taken"}]},
        {"action": "slot_choice_form"},
        {"active_loop": "slot_choice_form"},
    ],
    conversation_start=False,
)

# Relatives
R(
    "someone else is mentioned",
    [{"intent": "on_behalf"}, {"action": "action_start_on_behalf"}],
    wait_for_user_input=False,
)
R(
    "for someone else: the relative's questions",
    [
        {"action": "action_start_on_behalf"},
        {"slot_was_set": [{"for_whom": "other"}]},
        {"action": "relative_form"},
        {"active_loop": "relative_form"},
    ],
    conversation_start=False,
)
R(
    "for the writer after all: book for them",
    [
        {"action": "action_start_on_behalf"},
        {"slot_was_set": [{"for_whom": "self"}]},
        {"action": "action_start_booking"},
    ],
    conversation_start=False,
    wait_for_user_input=False,
)
R(
    "unclear for whom: wait for the answer",
    [{"action": "action_start_on_behalf"}, {"slot_was_set": [{"for_whom": "ask"}]}],
    conversation_start=False,
)
R(
    "relative form done: check consent",
    [
        {"action": "relative_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_check_consent"},
    ],
    condition=[{"active_loop": "relative_form"}],
    wait_for_user_input=False,
)
R(
    "consent given: the citizen's details",
    [
        {"action": "action_check_consent"},
        {"slot_was_set": [{"consent_given": True}]},
        {"action": "booking_form"},
        {"active_loop": "booking_form"},
    ],
    conversation_start=False,
)
R(
    "no consent: call-back for the citizen",
    [
        {"action": "action_check_consent"},
        {"slot_was_set": [{"consent_given": False}]},
        {"action": "action_prepare_callback"},
        {"action": "callback_form"},
        {"active_loop": "callback_form"},
    ],
    conversation_start=False,
)

# Decline and postpone
R(
    "decline",
    [
        {"intent": "decline_visit"},
        {"action": "action_start_decline"},
        {"action": "decline_form"},
        {"active_loop": "decline_form"},
    ],
)
R(
    "postpone",
    [
        {"intent": "postpone_visit"},
        {"action": "action_start_postpone"},
        {"action": "decline_form"},
        {"active_loop": "decline_form"},
    ],
)
R(
    "decline form done",
    [
        {"action": "decline_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_save_decline"},
    ],
    condition=[{"active_loop": "decline_form"}],
)

# Feedback
R(
    "feedback",
    [
        {"intent": "give_feedback"},
        {"action": "utter_feedback_intro"},
        {"action": "feedback_form"},
        {"active_loop": "feedback_form"},
    ],
)
R(
    "feedback form done",
    [
        {"action": "feedback_form"},
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": "action_save_feedback"},
    ],
    condition=[{"active_loop": "feedback_form"}],
)

# Cancel and move
R(
    "cancel: no booking found",
    [
        {"intent": "cancel_visit"},
        {"action": "action_find_booking"},
        {"slot_was_set": [{"has_booking": False}]},
    ],
)
R(
    "cancel: booking found, ask",
    [
        {"intent": "cancel_visit"},
        {"action": "action_find_booking"},
        {"slot_was_set": [{"has_booking": True}]},
        {"action": "utter_ask_confirm_cancel"},
    ],
)
R(
    "cancel confirmed",
    [
        {"action": "utter_ask_confirm_cancel"},
        {"intent": "affirm"},
        {"action": "action_cancel_visit"},
    ],
    conversation_start=False,
)
R(
    "cancel not confirmed",
    [{"action": "utter_ask_confirm_cancel"}, {"intent": "deny"}, {"action": "utter_keep_booking"}],
    conversation_start=False,
)
R(
    "move: no booking found",
    [
        {"intent": "reschedule_visit"},
        {"action": "action_find_booking"},
        {"slot_was_set": [{"has_booking": False}]},
    ],
)
R(
    "move: booking found, choose a new time",
    [
        {"intent": "reschedule_visit"},
        {"action": "action_find_booking"},
        {"slot_was_set": [{"has_booking": True}]},
        {"action": "action_start_reschedule"},
        {"action": "slot_choice_form"},
        {"active_loop": "slot_choice_form"},
    ],
)

print(
    yaml.safe_dump(
        {"version": "3.1", "rules": rules}, allow_unicode=True, sort_keys=False, width=110
    )
)
