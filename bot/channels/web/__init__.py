"""The web chat: one page, its small JSON API, and embed.js for a kommune's own site.

`bot.web.app.web_routes(ctx)` gives the routes the channel server mounts. The browser only
talks to bot/; bot/ relays to Rasa through the shared `RasaRelay` (channel "web").
"""
