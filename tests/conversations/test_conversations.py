"""Simulated users against the real bot: each user is a test, and the whole run must reach the
issue's target success rate. See conftest.py for the run and report.py for the figures."""

from __future__ import annotations

import pytest

from tests.conversations.chat import Conversation
from tests.conversations.people import Person
from tests.conversations.report import TARGET
from tests.conversations.run import CAST

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("person", CAST, ids=[p.key for p in CAST])
def test_user_gets_their_errand_done(
    person: Person, conversation_run: dict[str, Conversation]
) -> None:
    conversation = conversation_run[person.key]
    assert conversation.success, (
        f"{person.key} ({person.goal.label}): {'; '.join(conversation.failures)}\n"
        f"{conversation.transcript()}"
    )


def test_success_rate_meets_the_target(conversation_run: dict[str, Conversation]) -> None:
    results = list(conversation_run.values())
    rate = sum(c.success for c in results) / len(results)
    failed = [c.person.key for c in results if not c.success]
    assert rate >= TARGET, f"success rate {rate:.1%} < {TARGET:.0%}; failed: {failed}"
