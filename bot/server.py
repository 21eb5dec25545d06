"""`fhb serve`: the channel server. One process, one event loop:

- the web chat page and its small JSON API (bot/web),
- Telegram (python-telegram-bot): long polling, or a webhook route on this server,
- the scheduler that sends reminders, feedback requests and new offers from the visit database,
- live takeover: staff answer in the chat while the bot waits, and its timeouts (bot/takeover.py),
- the daily retention purge of old conversations (bot/retention.py).

It binds to FHB_WEB_HOST (else FHB_HOST; 127.0.0.1 by default) on FHB_WEB_PORT and talks to
Rasa only through Rasa's REST channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, AsyncIterator

from starlette.applications import Starlette
from starlette.routing import Route

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from fhb.profile import load_profile
from fhb.settings import Settings, get_settings, rasa_api_token, secret_key

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)
# httpx logs every request URL at INFO: with a conversation id, the Rasa API token or the
# Telegram bot token in it. Warnings only.
logging.getLogger("httpx").setLevel(logging.WARNING)


def build_context(settings: Settings) -> ChannelContext:
    """The shared context from the settings."""
    return ChannelContext(
        settings=settings,
        profile=load_profile(settings.profile_path),
        relay=RasaRelay(
            settings.rasa_urls,
            timeout=settings.relay_timeout,
            api_token=rasa_api_token(settings),
            seats=settings.rasa_seats,
        ),
        key=secret_key(settings),
    )


async def connect_telegram(telegram: TelegramChannel, *, retry_every: float = 60) -> None:
    """Start Telegram without holding up the web chat: a network failure is retried every
    minute; a refused token or a webhook without URL or secret is logged and left off."""
    from telegram.error import InvalidToken, NetworkError

    while True:
        try:
            await telegram.start()
            return
        except InvalidToken:
            log.error("Telegram refused TELEGRAM_BOT_TOKEN: Telegram is off; the web chat runs")
            return
        except RuntimeError:  # webhook mode without URL or secret (logged by start)
            return
        except NetworkError as e:
            log.warning(
                "Telegram not reachable (%s); trying again in %.0f s", type(e).__name__, retry_every
            )
        await asyncio.sleep(retry_every)


def build_app(ctx: ChannelContext) -> Starlette:
    """The Starlette app with the web chat, Telegram (if a token is set) and the scheduler."""
    from bot.channels.web.app import web_routes
    from bot.outreach.retention import purge_daily
    from bot.outreach.scheduler import Scheduler
    from bot.staff.dashboard import accounts, followup, report, visits
    from bot.staff.dashboard.app import staff_routes
    from bot.staff.dashboard.live import routes as live_routes
    from bot.staff.takeover import TIMEOUT_CHECK_EVERY, LiveChat

    telegram = None
    if ctx.settings.telegram_token:
        from bot.channels.telegram.channel import TelegramChannel

        telegram = TelegramChannel(ctx)
    scheduler = Scheduler(ctx, telegram=telegram)
    live = LiveChat(ctx, scheduler)
    pages = [live_routes, visits.routes, followup.routes, report.routes, accounts.routes]
    routes = [*web_routes(ctx), *staff_routes(ctx, extra=pages, live=live)]
    if telegram is not None and ctx.settings.telegram_mode == "webhook":
        routes.append(Route("/telegram/webhook", telegram.handle_webhook, methods=["POST"]))
    check_every = min(TIMEOUT_CHECK_EVERY, ctx.settings.scheduler_interval)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(scheduler.run_forever(), name="fhb-scheduler"),
            asyncio.create_task(live.run_forever(check_every), name="fhb-takeover"),
            asyncio.create_task(purge_daily(ctx), name="fhb-retention"),
        ]
        if telegram is not None:
            tasks.append(asyncio.create_task(connect_telegram(telegram), name="fhb-telegram"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if telegram is not None:
                await telegram.stop()
            await ctx.relay.aclose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.ctx = ctx
    app.state.telegram = telegram
    app.state.scheduler = scheduler
    app.state.live = live
    return app


def serve(settings: Settings | None = None) -> None:
    """Run the channel server until stopped (Ctrl+C or SIGTERM)."""
    import uvicorn

    settings = settings or get_settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = build_app(build_context(settings))
    # ws="none": no websocket routes here, and Rasa pins websockets 10, which uvicorn's
    # automatic websocket support can no longer import.
    uvicorn.run(
        app,
        host=settings.channel_host,
        port=settings.web_port,
        log_level="warning",
        access_log=False,
        ws="none",
    )
