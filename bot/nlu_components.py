"""NLU components of our own, named in config.yml (Rasa imports this module).

FaqResponseSelector is Rasa's ResponseSelector that chooses an answer only for a message the
intent classifier read as a question (the retrieval intent, `faq`). Rasa's own runs its
neural network on every message, also "Ja", a name or an address, and throws the result
away: about 6 % of the Rasa process's CPU under load (issue 12, py-spy). The answer chosen
for a question is the same as before: the same model, trained the same way.

ErrandFallbackClassifier is Rasa's FallbackClassifier, except that a message torn between
two intents that lead to the same errand is not unclear: "eg skriv for mor mi. ho vil
gjerne ha besok" read half as a booking and half as acting for someone got "Beklager, det
forstod jeg ikke", though both start the same booking (the booking's start sees the
relative and asks a relative's questions).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
)
from rasa.shared.nlu.training_data.message import Message

import bot.rasa_patches  # noqa: F401 - a module Rasa loads: apply the patches


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """ResponseSelector that runs only where its retrieval intent was predicted."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Choose the answer for the messages read as the retrieval intent; leave the
        others untouched (nothing reads a response selection for them)."""
        asked = [m for m in messages if self.asks(m)]
        if asked:
            super().process(asked)
        return messages

    def asks(self, message: Message) -> bool:
        """Whether the intent classifier read the message as this selector's intent (with
        no retrieval intent configured, every message is a question)."""
        wanted = self.retrieval_intent
        predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        return not wanted or predicted == wanted


# Intents that start the same errand: a message between them is not ambiguous.
SAME_ERRAND = (frozenset({"book_visit", "on_behalf"}),)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ErrandFallbackClassifier(FallbackClassifier):
    """FallbackClassifier that does not call two intents of one errand ambiguous."""

    def _nlu_prediction_ambiguous(self, message: Message) -> tuple[bool, float | None]:
        """Rasa's test, unless the first two intents start the same errand (the low
        confidence test still applies to the first one alone)."""
        ambiguous, difference = super()._nlu_prediction_ambiguous(message)
        ranking = message.data.get(INTENT_RANKING_KEY) or []
        if ambiguous and len(ranking) >= 2:
            pair = {ranking[0].get(INTENT_NAME_KEY), ranking[1].get(INTENT_NAME_KEY)}
            if any(pair <= errand for errand in SAME_ERRAND):
                return False, difference
        return ambiguous, difference
