"""Settings from the environment: safe defaults, the channel server's own interface."""

from __future__ import annotations

import pytest

from fhb.settings import get_settings


def test_defaults_bind_everything_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "FHB_HOST",
        "FHB_WEB_HOST",
        "FHB_WEB_PORT",
        "FHB_PUBLIC_WEB_URL",
        "TELEGRAM_BOT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert (settings.host, settings.channel_host) == ("127.0.0.1", "127.0.0.1")
    assert settings.web_url == "http://127.0.0.1:8080"
    assert settings.telegram_token == "" and settings.telegram_mode == "polling"


def test_only_the_channel_server_can_be_opened_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FHB_HOST", raising=False)
    monkeypatch.setenv("FHB_WEB_HOST", "0.0.0.0")
    monkeypatch.setenv("FHB_PUBLIC_WEB_URL", "https://chat.fjellvik.kommune.no/")
    settings = get_settings()
    assert settings.host == "127.0.0.1"  # Rasa and the action server stay on loopback
    assert settings.channel_host == "0.0.0.0"
    assert settings.local_web_url == "http://127.0.0.1:8080"
    assert settings.web_url == "https://chat.fjellvik.kommune.no"
