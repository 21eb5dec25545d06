"""Build a blank Norwegian bokmål spaCy pipeline whose lemmatizer looks words up in Norsk Ordbank.

The pipeline is a blank `nb` tokenizer plus spaCy's lookup lemmatizer, saved with `to_disk` so
that Rasa's SpacyNLP loads it offline with `spacy.load(path)`. It has no vectors, no tagger and
no parser: it gives Rasa spaCy's Norwegian tokenization and lemmas, nothing dense.

The lemmas come from spacy-lookups-data's `nb` tables (Norsk Ordbank bokmål 2005, CC BY 4.0),
made for spaCy's rule lemmatizer, which needs part-of-speech tags that a blank pipeline does
not have. They are folded here into one full-form table (form -> lemma) with these choices:

1. pronouns, determiners, conjunctions and prepositions stay as they are (CLOSED_CLASS);
2. the present tense of an -e verb ("skriver", "bruker") is that verb, unless the form is also
   an adverb or adjective of its own ("heller");
3. else a form that is a headword stays as it is ("nei", "besøk", "takk");
4. else the first lemma by part of speech: noun, adjective, verb, adverb ("dager" -> "dag");
5. a few frequent verb forms whose common reading the tables lost (OVERRIDES).

Only forms whose lemma differs are stored (the lemmatizer keeps unknown words as they are),
each also capitalised, since a message often starts with a capital ("Kan" -> "kunne").

Usage: python scripts/build_spacy_nb.py var/spacy/nb_fhb
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from pathlib import Path

import spacy
from spacy.lang.nb.punctuation import TOKENIZER_SUFFIXES
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokenizer import Tokenizer
from spacy.util import load_language_data, registry

logger = logging.getLogger("build_spacy_nb")

# Part-of-speech order for forms with several non-identical lemmas.
POS_ORDER = ("noun", "adj", "verb", "adv")
# Pronouns, determiners, conjunctions and prepositions: the tables have no such part of
# speech, only rare homographs ("meg" -> "mige", "et" -> "ete", "vi" -> "vie"), so they stay.
CLOSED_CLASS = frozenset(
    """
    jeg meg min mi mitt mine du deg din di ditt dine han ham hans hun henne hennes den det dens
    dets seg sin si sitt sine vi oss vår vårt våre dere deres de dem en ei et ett man noen noe
    ingen intet alle all alt hver hvert begge samme selv egen eget egne denne dette disse hvem
    hva hvilken hvilket hvilke hvor hvordan hvorfor når og eller men for at om som til fra med
    etter før over under ved av på i hos mot uten mellom gjennom siden enn da så nå her der
    """.split()
)
# Frequent forms whose verb reading the tables dropped (one lemma list per form and POS).
OVERRIDES = {"går": "gå", "får": "få", "var": "være"}


def full_form_table(exceptions: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """Fold the per-part-of-speech exception tables into one form -> lemma table."""
    readings: dict[str, dict[str, list[str]]] = {}
    for pos, forms in exceptions.items():
        for form, lemmas in forms.items():
            if lemmas:
                readings.setdefault(form, {})[pos] = lemmas
    table: dict[str, str] = {}
    for form, by_pos in readings.items():
        lemma = form if form in CLOSED_CLASS else choose_lemma(form, by_pos)
        if lemma != form:
            table[form] = lemma
    for form, lemma in OVERRIDES.items():
        table[form] = lemma
    return table


def choose_lemma(form: str, by_pos: dict[str, list[str]]) -> str:
    """Pick one lemma for a form from its readings per part of speech."""
    headword_in = {pos for pos, lemmas in by_pos.items() if form in lemmas}
    verb_lemmas = by_pos.get("verb", [])
    if form.endswith("r") and form[:-1] in verb_lemmas and not headword_in & {"adj", "adv"}:
        return form[:-1]
    if headword_in:
        return form
    for pos in POS_ORDER:
        if pos in by_pos:
            return by_pos[pos][0]
    return form


def with_capitalised(table: dict[str, str]) -> dict[str, str]:
    """Add the capitalised form of every lower-case entry ("Timen" -> "time")."""
    capitalised = {
        form.capitalize(): lemma
        for form, lemma in table.items()
        if form.islower() and form.capitalize() not in table
    }
    return {**table, **capitalised}


def build(out: Path) -> None:
    """Build the pipeline and save it to `out`, replacing what was there."""
    started = time.monotonic()
    # The raw JSON: a spaCy Table would hash the part-of-speech keys.
    exceptions = load_language_data(registry.lookups.get("nb")["lemma_exc"])
    if not isinstance(exceptions, dict):
        raise TypeError("spacy-lookups-data's nb lemma_exc is not a table per part of speech")
    table = with_capitalised(full_form_table(exceptions))
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)

    nlp = spacy.blank("nb")
    # A full stop after digits is its own token, as with Rasa's WhitespaceTokenizer: "født 1948."
    # gives "1948" (an entity) and ".", not the ordinal "1948.". Saved with the tokenizer.
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise TypeError(f"unexpected tokenizer {tokenizer!r}")
    suffixes = [*TOKENIZER_SUFFIXES, r"(?<=[0-9])\."]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"unexpected lemmatizer {lemmatizer!r}")
    lemmatizer.initialize(lookups=lookups)
    nlp.meta["name"] = out.name
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "Blank nb tokenizer and a lookup lemmatizer from Norsk Ordbank (spacy-lookups-data)"
    )
    nlp.meta["sources"] = [
        {
            "name": "Norsk Ordbank bokmål 2005, via spacy-lookups-data",
            "license": "CC BY 4.0",
        }
    ]

    # Write beside the target and swap, so an interrupted build leaves no half pipeline.
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    check(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    logger.info(
        "%s: %d lemma entries, %.1f MB, %.0f s",
        out,
        len(table),
        sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6,
        time.monotonic() - started,
    )


def check(path: Path) -> None:
    """Load the saved pipeline the way Rasa does and check a few lemmas."""
    nlp = spacy.load(path, disable=["parser"])
    doc = nlp("Kan du flytte timen for meg? Hun skriver at besøkene var fine. Født 1948.")
    lemmas = [token.lemma_ for token in doc]
    expected = "kunne du flytte time for meg ? hun skrive at besøk være fin . føde 1948 .".split()
    if [lemma.lower() for lemma in lemmas] != expected:
        raise RuntimeError(f"unexpected lemmas from {path}: {lemmas}")


def main() -> int:
    """Parse the arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the pipeline to")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
