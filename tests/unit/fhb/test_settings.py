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


def test_several_rasa_servers_on_ports_one_after_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FHB_RASA_URL", raising=False)
    monkeypatch.setenv("FHB_RASA_PORT", "6005")
    monkeypatch.setenv("FHB_RASA_SERVERS", "3")
    settings = get_settings()
    assert settings.rasa_urls == tuple(f"http://127.0.0.1:{p}" for p in (6005, 6006, 6007))
    assert settings.rasa_url == "http://127.0.0.1:6005" and settings.rasa_servers == 3


def test_rasa_servers_named_in_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHB_RASA_URL", "http://10.0.0.5:5005/, http://10.0.0.6:5005")
    assert get_settings().rasa_urls == ("http://10.0.0.5:5005", "http://10.0.0.6:5005")
    monkeypatch.delenv("FHB_RASA_SERVERS", raising=False)
    monkeypatch.setenv("FHB_RASA_URL", "http://127.0.0.1:5005")
    assert get_settings().rasa_urls == ("http://127.0.0.1:5005",)
