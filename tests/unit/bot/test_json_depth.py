"""Reading the web chat's JSON bodies with a depth limit (issue 11): a body nested thousands
deep is a bad body (400), never a RecursionError (500); ordinary bodies read as before."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from starlette.requests import Request
from starlette.types import Message

from bot.channels.web.security import MAX_JSON_DEPTH, BadBody, nesting_within, read_json_object

LIMIT = 16 * 1024


def request_with(body: bytes) -> Request:
    """A POST request whose body is `body`, sent in one piece."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/api/message", "headers": []}
    return Request(scope, receive)


def read(body: bytes) -> dict[str, Any]:
    """The body read as the web chat reads it."""
    return asyncio.run(read_json_object(request_with(body), limit=LIMIT))


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"a": ' * 2000 + b"1" + b"}" * 2000,
        b"[" * 5000,  # never closed
        b'{"text": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}",
    ],
)
def test_deep_nesting_is_a_bad_body(body: bytes) -> None:
    with pytest.raises(BadBody):
        read(body)


@pytest.mark.parametrize(
    "data",
    [
        {"text": "hei"},
        {"payload": "/book_visit", "text": "Bestille besøk"},
        {"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ { { { { {"},  # brackets inside a string
        {"text": 'sitat: \\" [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["'},  # and after an escape
        {"a": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]},  # 19 deep: within the limit
    ],
)
def test_ordinary_bodies_read_as_before(data: dict[str, Any]) -> None:
    assert read(json.dumps(data).encode()) == data


def test_the_depth_counts_only_structure() -> None:
    assert nesting_within("[" * 20 + "]" * 20, 20)
    assert not nesting_within("[" * 21 + "]" * 21, 20)
    assert nesting_within('["' + "[" * 100 + '"]', 2)
    assert nesting_within('["\\"' + "[" * 100 + '"]', 2)  # an escaped quote does not end it
    assert nesting_within("[" + "[]," * 100 + "[]]", 2)  # siblings do not add up
    assert nesting_within("", 0)
