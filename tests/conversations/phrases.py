"""The simulated people's phrasebook: how each kind of answer is typed, per register.

Registers: "nb" (everyday bokmål), "nn" (nynorsk), "polite" (long and polite), "terse".
Facts are placeholders: {name} {year} {age} {address} {phone} {pronoun} {relation}.
"""

from __future__ import annotations

from tests.conversations.voice import Phrases

NAME: Phrases = {
    "nb": ("{name}", "Jeg heter {name}", "{name} heter jeg", "Det er {name}"),
    "nn": ("Eg heiter {name}", "{name}"),
    "polite": ("Mitt navn er {name}.", "Jeg heter {name}, takk."),
    "terse": ("{name}",),
}
OTHER_NAME: Phrases = {
    "nb": ("{name}", "{pronoun_cap} heter {name}", "Navnet er {name}"),
    "nn": ("{pronoun_cap} heiter {name}", "{name}"),
    "polite": ("{pronoun_cap} heter {name}.",),
    "terse": ("{name}",),
}
YEAR: Phrases = {
    "nb": ("{year}", "Jeg er født i {year}", "født {year}", "I {year}"),
    "nn": ("Eg er fødd i {year}", "{year}"),
    "polite": ("Jeg er født i {year}.", "Jeg ble født i {year}, så jeg er {age} i år."),
    "terse": ("{year}",),
}
AGE: Phrases = {
    "nb": ("Jeg er {age} år", "{age} år"),
    "nn": ("Eg er {age} år",),
    "polite": ("Jeg er {age} år gammel.",),
}
OTHER_YEAR: Phrases = {
    "nb": ("{year}", "{pronoun_cap} er født i {year}", "født {year}"),
    "nn": ("{pronoun_cap} er fødd i {year}", "{year}"),
    "polite": ("{pronoun_cap} er født i {year}.",),
    "terse": ("{year}",),
}
ADDRESS: Phrases = {
    "nb": ("{address}", "Jeg bor i {address}", "{address} her i Fjellvik"),
    "nn": ("Eg bur i {address}", "{address}"),
    "polite": ("Jeg bor i {address}.", "Adressen er {address}."),
    "terse": ("{address}",),
}
OTHER_ADDRESS: Phrases = {
    "nb": ("{address}", "{pronoun_cap} bor i {address}"),
    "nn": ("{pronoun_cap} bur i {address}", "{address}"),
    "polite": ("{pronoun_cap} bor i {address}.",),
    "terse": ("{address}",),
}
PHONE: Phrases = {
    "nb": ("{phone}", "Telefonen min er {phone}", "mobil {phone}", "Nummeret er {phone}"),
    "nn": ("Nummeret mitt er {phone}", "{phone}"),
    "polite": ("Dere kan ringe meg på {phone}.", "Telefonnummeret mitt er {phone}."),
    "terse": ("{phone}",),
}
OTHER_PHONE: Phrases = {
    "nb": ("{phone}", "Nummeret {pronoun_obj} er {phone}"),
    "nn": ("Nummeret er {phone}", "{phone}"),
    "polite": ("{pronoun_cap} har telefon {phone}.",),
    "terse": ("{phone}",),
}
ALREADY_SAID: Phrases = {
    "nb": ("Det skrev jeg jo: {value}", "som sagt {value}"),
    "nn": ("Det skreiv eg jo: {value}",),
    "polite": ("Som jeg skrev i stad: {value}.",),
}
YES: Phrases = {
    "nb": ("Ja", "ja takk", "Ja, det stemmer", "jepp", "ja det er riktig"),
    "nn": ("Ja, det stemmer", "ja takk"),
    "polite": ("Ja, det ser helt riktig ut. Tusen takk!", "Ja takk, det stemmer."),
    "terse": ("ja",),
}
NO: Phrases = {
    "nb": ("Nei", "nei takk"),
    "nn": ("Nei takk", "nei"),
    "polite": ("Nei takk, det trengs ikke.",),
    "terse": ("nei",),
}
SKIP: Phrases = {
    "nb": ("hopp over", "nei, det er greit", "ingenting mer"),
    "nn": ("hopp over", "nei, det er greitt"),
    "polite": ("Nei takk, jeg har ikke noe mer å tilføye.",),
    "terse": ("nei",),
}
NO_PHONE: Phrases = {
    "nb": ("vil helst ikke gi nummeret", "hopp over"),
    "nn": ("hopp over",),
    "polite": ("Jeg vil helst ikke oppgi telefonnummer, takk.",),
}
CLOSING: Phrases = {
    "nb": ("Tusen takk for hjelpen!", "takk skal du ha", "Flott, takk!"),
    "nn": ("Takk skal du ha!", "Tusen takk for hjelpa"),
    "polite": ("Tusen hjertelig takk for hjelpen. Ha en fin dag videre!",),
    "terse": ("takk",),
}
MYSELF: Phrases = {
    "nb": ("Meg selv", "det er for meg selv", "for meg"),
    "nn": ("For meg sjølv", "meg sjølv"),
    "polite": ("Det gjelder meg selv.",),
}
FOR_OTHER: Phrases = {
    "nb": ("Det gjelder {relation}", "for {relation}"),
    "nn": ("Det gjeld {relation}",),
    "polite": ("Det gjelder {relation}.",),
}
NOT_FOR_OTHER: Phrases = {
    "nb": ("Nei, jeg spør for meg selv",),
    "nn": ("Nei, eg spør for meg sjølv",),
}
BOOK: Phrases = {
    "nb": ("Jeg vil gjerne bestille et besøk", "jeg vil ha besøk", "bestille besøk"),
    "nn": ("Eg vil gjerne ha besøk",),
    "polite": ("Jeg vil gjerne bestille et hjemmebesøk, takk.",),
    "terse": ("bestille besøk",),
}
BOOK_FOR_OTHER: Phrases = {
    "nb": ("Jeg vil bestille besøk til {relation}", "det er {relation} som skal ha besøk"),
    "nn": ("Eg vil bestille besøk til {relation}",),
    "polite": ("Jeg ønsker å bestille et besøk til {relation}.",),
}
DECLINE: Phrases = {
    "nb": ("Jeg vil takke nei til besøket", "nei takk, jeg trenger ikke besøk"),
    "nn": ("Eg vil takke nei til besøket",),
    "polite": ("Jeg vil gjerne takke nei til tilbudet om besøk.",),
}
POSTPONE: Phrases = {
    "nb": ("Ikke nå, men kanskje senere", "jeg vil vente litt"),
    "nn": ("Ikkje no, men kanskje seinare",),
    "polite": ("Jeg vil gjerne vente litt, kanskje senere.",),
}
CANCEL: Phrases = {
    "nb": ("Jeg vil avbestille besøket mitt", "avbestille"),
    "nn": ("Eg vil avbestille besøket",),
    "polite": ("Jeg må dessverre avbestille besøket mitt.",),
}
MOVE: Phrases = {
    "nb": ("Jeg vil flytte besøket mitt", "kan vi flytte besøket?"),
    "nn": ("Eg vil flytte besøket",),
    "polite": ("Jeg vil gjerne flytte besøket til en annen dag.",),
}
FEEDBACK: Phrases = {
    "nb": ("Jeg vil gi tilbakemelding på besøket",),
    "nn": ("Eg vil gje tilbakemelding på besøket",),
}
PERSON: Phrases = {
    "nb": ("Kan jeg snakke med et menneske?", "jeg vil snakke med en person"),
    "nn": ("Kan eg få snakke med eit menneske?",),
}
CALL_ME: Phrases = {
    "nb": ("Kan dere ringe meg?", "jeg vil heller at dere ringer meg"),
    "nn": ("Kan de ringje meg?",),
    "polite": ("Jeg vil helst at noen ringer meg, takk.",),
}
STILL_WANT_VISIT: Phrases = {
    "nb": (
        "Nei, jeg vil bare bestille besøk",
        "nei takk, jeg vil ha besøk",
        "nei da vil jeg heller bestille besøk",
        "jeg vil ikke si nei, jeg vil ha besøk!",
    ),
    "nn": ("Nei, eg vil berre ha besøk", "nei, eg vil heller ha besøk likevel"),
}
ORDINALS: tuple[Phrases, ...] = (
    {
        "nb": ("den første", "Den første passer fint", "jeg tar den første", "nummer 1"),
        "nn": ("den fyrste", "eg tek den fyrste"),
        "polite": ("Den første tiden passer meg fint, takk.",),
    },
    {
        "nb": ("den andre", "den andre passer best", "nr 2"),
        "nn": ("den andre", "eg tek den andre"),
        "polite": ("Den andre tiden passer best for meg.",),
    },
    {
        "nb": ("den tredje", "den siste", "jeg tar den siste"),
        "nn": ("den tredje", "den siste"),
        "polite": ("Den siste tiden passer meg best, takk.",),
    },
)
WRONG_DETAIL: Phrases = {
    "nb": ("Nei, {label} er feil. Det skal være {value}", "Nei, {label} er feil, det er {value}"),
    "nn": ("Nei, {label} er feil. Det skal vere {value}",),
    "polite": ("Nei, dessverre er {label} feil. Riktig er {value}.",),
}
BORN: Phrases = {
    "nb": ("født {year}", "f. {year}"),
    "nn": ("fødd {year}",),
}
ONLY_WISH: Phrases = {
    "nb": ("Nei, det passer ikke. Har du andre tider?", "ingen av dem passer"),
    "nn": ("Nei, det passar ikkje. Har du andre tider?",),
    "polite": ("Dessverre passer ingen av disse. Har dere andre tider?",),
}
ANY_TIME: Phrases = {
    "nb": ("Når som helst, bare ta den første ledige",),
    "nn": ("Når som helst, berre ta den fyrste ledige",),
}
GIVE_UP_PERSON: Phrases = {
    "nb": ("Dette går ikke. Kan jeg snakke med et menneske?",),
    "nn": ("Dette går ikkje. Kan eg snakke med eit menneske?",),
}
NOT_BOOKING: dict[str, Phrases] = {
    "decline": {
        "nb": ("Nei! Jeg vil ikke ha besøk, jeg takker nei.", "Jeg vil IKKE bestille besøk"),
        "nn": ("Nei! Eg vil ikkje ha besøk, eg takkar nei.",),
    },
    "cancel": {
        "nb": ("Nei, jeg vil avbestille, ikke bestille", "Jeg vil avbestille besøket jeg har"),
        "nn": ("Nei, eg vil avbestille, ikkje bestille",),
    },
    "feedback": {
        "nb": ("Nei, jeg vil bare gi tilbakemelding på besøket jeg hadde",),
        "nn": ("Nei, eg vil berre gje tilbakemelding",),
    },
    "call": {
        "nb": ("Nei, jeg vil bare at noen ringer meg",),
        "nn": ("Nei, eg vil berre at nokon ringjer meg",),
    },
    "no_consent": {
        "nb": (
            "Nei, {o_pronoun} har ikke sagt ja ennå. Ikke bestill noe, ring {o_object} heller.",
        ),
        "nn": (
            "Nei, {o_pronoun_nn} har ikkje sagt ja enno. Ikkje bestill noko, ring {o_object_nn}.",
        ),
    },
}
