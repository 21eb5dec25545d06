"""The core every FHB process shares: no rasa_sdk, telegram or starlette in here."""
