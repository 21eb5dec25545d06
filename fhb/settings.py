"""Settings read from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sqlite_url(name: str) -> str:
    """Return a SQLite URL for a file under the project's var/ folder."""
    return f"sqlite:///{ROOT / 'var' / name}"


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one running FHB-bot."""

    database_url: str
    tracker_url: str
    profile_path: Path
    rasa_url: str
    action_port: int
    rasa_port: int
    host: str
    web_port: int = 8080
    web_host: str = ""
    public_web_url: str = ""
    secret_key: str = ""
    telegram_token: str = ""
    telegram_mode: str = "polling"
    telegram_api_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = ""
    telegram_username: str = ""
    relay_timeout: float = 10.0
    scheduler_interval: float = 60.0
    rasa_token: str = ""
    rasa_servers: int = 1
    redis_url: str = ""
    rasa_url_list: tuple[str, ...] = ()
    rasa_seats: int = 4

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Every Rasa server the channels relay to (one conversation always to the same):
        FHB_RASA_URL's list, else FHB_RASA_SERVERS local ones from `rasa_port` on."""
        if self.rasa_url_list:
            return self.rasa_url_list
        if self.rasa_servers > 1:
            return tuple(f"http://127.0.0.1:{self.rasa_port + i}" for i in range(self.rasa_servers))
        return (self.rasa_url,)

    @property
    def channel_host(self) -> str:
        """Where the channel server binds: FHB_WEB_HOST, else FHB_HOST (Rasa stays there)."""
        return self.web_host or self.host

    @property
    def local_web_url(self) -> str:
        """The channel server's address from this machine."""
        host = self.channel_host
        host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        return f"http://{host}:{self.web_port}"

    @property
    def web_url(self) -> str:
        """Where citizens open the web chat (the public address if one is configured)."""
        return self.public_web_url or self.local_web_url


def get_settings() -> Settings:
    """Read the settings from the environment (called at use, never at import)."""
    rasa_port = int(os.environ.get("FHB_RASA_PORT") or 5005)
    servers = max(1, int(os.environ.get("FHB_RASA_SERVERS") or 1))
    listed = tuple(
        u.strip().rstrip("/")
        for u in (os.environ.get("FHB_RASA_URL") or "").split(",")
        if u.strip()
    )
    return Settings(
        database_url=os.environ.get("FHB_DATABASE_URL") or _sqlite_url("fhb.db"),
        tracker_url=os.environ.get("FHB_TRACKER_URL") or _sqlite_url("tracker.db"),
        profile_path=Path(os.environ.get("FHB_PROFILE") or ROOT / "data" / "kommune.yml"),
        rasa_url=listed[0] if listed else f"http://127.0.0.1:{rasa_port}",
        rasa_url_list=listed if len(listed) > 1 else (),
        action_port=int(os.environ.get("FHB_ACTION_PORT") or 5055),
        rasa_port=rasa_port,
        host=os.environ.get("FHB_HOST") or "127.0.0.1",
        web_port=int(os.environ.get("FHB_WEB_PORT") or 8080),
        web_host=os.environ.get("FHB_WEB_HOST") or "",
        public_web_url=(os.environ.get("FHB_PUBLIC_WEB_URL") or "").rstrip("/"),
        secret_key=os.environ.get("FHB_SECRET_KEY") or "",
        telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or "",
        telegram_mode=os.environ.get("FHB_TELEGRAM_MODE") or "polling",
        telegram_api_url=os.environ.get("FHB_TELEGRAM_API_URL") or "",
        telegram_webhook_url=os.environ.get("FHB_TELEGRAM_WEBHOOK_URL") or "",
        telegram_webhook_secret=os.environ.get("FHB_TELEGRAM_WEBHOOK_SECRET") or "",
        telegram_username=(os.environ.get("FHB_TELEGRAM_USERNAME") or "").lstrip("@"),
        relay_timeout=float(os.environ.get("FHB_RELAY_TIMEOUT") or 10),
        scheduler_interval=float(os.environ.get("FHB_SCHEDULER_INTERVAL") or 60),
        rasa_token=os.environ.get("FHB_RASA_TOKEN") or "",
        rasa_servers=servers,
        redis_url=os.environ.get("FHB_REDIS_URL") or "",
        rasa_seats=max(1, int(os.environ.get("FHB_RASA_SEATS") or 4)),
    )


def secret_key(settings: Settings) -> bytes:
    """The key for opaque conversation ids: FHB_SECRET_KEY, else one made once in var/.

    The file fallback keeps a fresh clone working with nothing to configure; production sets
    FHB_SECRET_KEY. Changing the key starts new conversations for everyone.
    """
    if settings.secret_key:
        return settings.secret_key.encode()
    path = ROOT / "var" / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()


def rasa_api_token(settings: Settings) -> str:
    """The token of Rasa's HTTP API (pause and resume for live takeover).

    FHB_RASA_TOKEN, else derived from the conversation key, so `fhb run` and `fhb serve`
    agree without another secret to keep. Rasa's API is on only with this token.
    """
    if settings.rasa_token:
        return settings.rasa_token
    return hmac.new(secret_key(settings), b"fhb-rasa-api", hashlib.sha256).hexdigest()
