"""Explicit yes/no (consent is never guessed), questions, and who a request is for."""

import pytest

from fhb.language.answers import (
    MAX_QUESTIONS,
    count_questions,
    extra_answers,
    is_plain_answer,
    is_question,
    is_refusal,
    looks_like_noise,
    unsure_choices,
    wants_call_back,
    who_for,
    yes_no,
)

YES_PHRASES = [
    "ja",
    "Ja.",
    "ja takk",
    "Ja, det har hun",
    "ja det har han",
    "jepp",
    "jada",
    "javisst",
    "Absolutt",
    "selvfølgelig",
    "selvfolgelig",
    "sjølvsagt",
    "ja hun vil gjerne",
    "Hun har sagt ja",
    "han har sagt ja til det",
    "ho har sagt ja",
    "ja, ho vil gjerne ha besøk",
    "hun er enig",
    "det stemmer",
    "Ja, det vil hun gjerne!",
    "ok",
    "/affirm",
]
NOT_YES_PHRASES = [
    ("nei", "no"),
    ("Nei takk", "no"),
    ("nei, hun vet ikke om det ennå", "unsure"),
    ("nei hun vet ikke om det enna", "unsure"),
    ("Nei, han vet ikke om det enda, jeg ville spørre dere først", "unsure"),
    ("ikke ennå", "unsure"),
    ("nei ikkje enno", "no"),
    ("ikkje enno", "unsure"),
    ("vet ikke", "unsure"),
    ("veit ikkje", "unsure"),
    ("Jeg vet ikke helt", "unsure"),
    ("kanskje", "unsure"),
    ("tja", "unsure"),
    ("ja, men jeg må spørre henne først", "unsure"),
    ("ja men hun er litt usikker", "unsure"),
    ("Jeg har ikke spurt henne", "unsure"),
    ("har ikke snakket med ham om det", "unsure"),
    ("jeg tror det", "unsure"),
    ("hun sa nei", "no"),
    ("han vil ikke", "no"),
    ("aldri i livet", "no"),
    ("ja hvis det er gratis", "unsure"),
    ("Jeg skal høre med mor i kveld", "unsure"),
    ("/deny", "no"),
    ("/unsure", "unsure"),
    ("Ragnhild", "unsure"),
    ("asdfgh", "unsure"),
    ("", "unsure"),
]
QUESTIONS = [
    "hva betyr det?",
    "Hva mener du med samtykke",
    "må hun si ja selv?",
    "kva skjer om ho seier nei",
    "koster det noe",
]


@pytest.mark.parametrize("text", YES_PHRASES)
def test_an_unambiguous_yes_is_yes(text: str) -> None:
    assert yes_no(text) == "yes"


@pytest.mark.parametrize(("text", "expected"), NOT_YES_PHRASES)
def test_no_not_yet_unsure_and_unclear_are_never_yes(text: str, expected: str) -> None:
    assert yes_no(text) == expected


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_is_neither(text: str) -> None:
    assert yes_no(text) is None
    assert is_question(text)


def test_the_table_is_large_enough() -> None:
    assert len(YES_PHRASES) + len(NOT_YES_PHRASES) + len(QUESTIONS) >= 40


@pytest.mark.parametrize(
    "text", ["Oddny Berg", "Bakkeveien 3", "90 12 34 56", "1947", "jeg heter Kari", "/affirm"]
)
def test_plain_answers_are_not_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Datteren min sa jeg skulle prøve denne chatten, jeg vil gjerne ha besøk", "self"),
        ("Sønnen min hjelper meg å skrive. Jeg ønsker besøk", "self"),
        ("jeg vil gjerne ha besok", "self"),
        ("kan dere komme hjem til meg", "self"),
        ("Jeg er sønnen hennes og vil bestille besøk til henne", "other"),
        ("Jeg skriver for mor", "other"),
        ("jeg skriv på vegne av far min", "other"),
        ("kan min far på 84 få besøk", "other"),
        ("Mor mi vil gjerne ha besøk", "other"),
        ("jeg spør for mora mi", "other"),
        ("Jeg er dattera hans", "other"),
        ("Vil bestille besøk til min mor", "other"),
        ("jeg vil bestille besøk til mor mi", "other"),
        ("Hei. Svigermor vil gjerne ha besøk av dere, kan jeg bestille det for henne?", "other"),
        ("Bestemor har fått brev, og jeg hjelper henne", "other"),
        ("jeg vil gjerne ha besøk til faren min", "other"),
        ("hei", None),
        ("om pårørende", None),
        ("/on_behalf", None),
    ],
)
def test_who_a_request_is_for(text: str, expected: str | None) -> None:
    assert who_for(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oddny Berg", True),
        ("Ragnhild Aasen Lie", True),
        ("90 12 34 56", True),
        ("Nedre Slottsgate 4, 0157 Oslo", True),
        ("f. 48", True),
        ("hvor lang tid tar det", False),
        ("Jeg lurer på om det koster noe", False),
        ("koster det noe?", False),
        ("/more_slots", False),
        ("", False),
        ("Jeg har lyst til å fortelle litt om hvordan jeg har det nå", False),
    ],
)
def test_a_plain_answer_to_a_form_question(text: str, expected: bool) -> None:
    assert is_plain_answer(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "asdfgh",
        "jjjjj",
        "øøøø",
        "kkkkkk lll",
        "123123",
        ".....",
        "???",
        "qwerty",
        "hmmmm",
        "sdfkjl",
    ],
)
def test_keyboard_noise(text: str) -> None:
    assert looks_like_noise(text)


@pytest.mark.parametrize(
    "text",
    [
        "koster det noe",
        "hva er forebyggende hjemmebesøk",
        "Oddny Berg",
        "90 12 34 56",
        "1947",
        "ja",
        "nei",
        "tlf",
        "Ok",
        "/affirm",
        "kva kostar det",
    ],
)
def test_real_messages_are_not_noise(text: str) -> None:
    assert not looks_like_noise(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kan dere ringe meg?", True),
        ("Jeg vil gjerne bli oppringt", True),
        ("ring meg på 91234567", True),
        ("kan nokon ringje meg", True),
        ("kan jeg snakke med noen", False),
        ("hvilket nummer kan jeg ringe?", False),
        ("/request_human", False),
    ],
)
def test_a_call_back_wish(text: str, expected: bool) -> None:
    assert wants_call_back(text) is expected


@pytest.mark.parametrize(
    ("text", "questions"),
    [
        ("Hva koster det, og hvor lenge varer besoket?", 2),
        ("hvor lenge varer det og hva koster det", 2),
        ("hvem er det som kommer? og maa jeg forberede noe", 2),
        (
            "Unnskyld at jeg forstyrrer. Jeg lurer paa hva dere egentlig gjor paa et slikt "
            "besok, og om min mann kan vaere med?",
            2,
        ),
        ("Hei! Hva er egentlig forebyggende hjemmebesøk, og hvorfor får jeg dette brevet?", 2),
        ("Hvor lang tid tar det? Jeg må vite det fordi jeg har fysioterapi kl 14.", 1),
        ("Hei? Hva koster det?", 1),
        ("Kan datteren min være med når dere kommer, hun bor i nærheten?", 1),
        ("Jeg vil bestille besøk, helst på tirsdag", 0),
        ("Jeg forstaar ikke helt hva dette gaar ut paa. Maa jeg ta imot besoket?", 2),
        ("Jeg skjønner ikke hvorfor jeg fikk brev.", 1),
        ("jeg forstår ikke", 0),
        ("/affirm", 0),
        ("Hva? Hvem? Hvor? Når? Hvorfor?", MAX_QUESTIONS),
    ],
)
def test_how_many_questions_a_message_asks(text: str, questions: int) -> None:
    assert count_questions(text) == questions


RANKING = [("cost", 0.63), ("duration", 0.25), ("topics", 0.03), ("privacy", 0.02)]


@pytest.mark.parametrize(
    ("ranking", "questions", "extra"),
    [
        (RANKING, 2, ["duration"]),
        (RANKING, 1, []),  # one question: one answer, however sure the second is
        (RANKING, 3, ["duration"]),  # the third is too unsure
        ([("cost", 0.97), ("voluntary", 0.01)], 2, []),
        ([("duration", 0.5), ("cost", 0.45)], 2, ["duration"]),  # the first was "cost"
    ],
)
def test_the_further_answers_of_a_message_with_several_questions(
    ranking: list[tuple[str, float]], questions: int, extra: list[str]
) -> None:
    assert extra_answers(ranking, "cost", questions) == extra


@pytest.mark.parametrize(
    ("text", "refuses"),
    [
        ("nei takk", True),
        ("Nei, ellers takk!", True),
        ("helst ikke", True),
        ("ingen kommentar", True),
        ("nei jeg har ikke telefon", True),
        ("nei, det trengs ikke", True),
        ("eg vil ikkje", True),
        ("takk", False),  # thanks is no answer either way
        ("nei det er dyrt", False),  # a reason
        ("Ingen kommentarer, takk for besøket", False),  # a comment
        ("nei, men ring meg", False),
        ("91234567", False),
        ("", False),
    ],
)
def test_an_answer_that_declines_an_optional_question(text: str, refuses: bool) -> None:
    assert is_refusal(text) is refuses


@pytest.mark.parametrize(
    ("ranking", "choices"),
    [
        ([("faq/cost", 0.9), ("faq/duration", 0.05)], []),
        ([("faq/cost", 0.2), ("faq/duration", 0.1)], []),  # sure enough
        (
            [("faq/cost", 0.19), ("faq/unknown", 0.1), ("faq/duration", 0.1), ("faq/topics", 0.1)],
            ["Koster det noe?", "Hvor lenge varer besøket?", "Hva snakker vi om?"],
        ),
        ([], []),
    ],
)
def test_the_questions_offered_when_the_answer_is_unsure(
    ranking: list[tuple[str, float]], choices: list[str]
) -> None:
    assert unsure_choices(ranking) == choices
