"""Where people chat: the relay to Rasa, the web chat, Telegram and the terminal."""
