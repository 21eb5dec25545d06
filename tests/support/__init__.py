"""What the tests share, and nothing else: fakes of the services around the bot and helpers
that arrange data. Fixtures stay in the conftest.py files, which import from here.

- `clock`: the frozen "now" of the tests, a clock to move by hand, units of work on it;
- `trackers`: Rasa SDK trackers built in code, and what an action uttered (needs rasa_sdk,
  so only integration tests import it);
- `records`: rows in the visit database and Rasa's tracker store;
- `staff`: the staff dashboard on Starlette's test client, logging in, reading its pages;
- `rasa`: the fake Rasa (REST webhook and HTTP API), in-process or over real HTTP;
- `servers`: `BackgroundServer`, any ASGI app on 127.0.0.1 and a free port;
- `telegram_api`: the fake Telegram Bot API server; `telegram_channel`: a fake channel that
  records the notifications it is asked to send.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository checkout (data/kommune.yml, domain.yml)."""
