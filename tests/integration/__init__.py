"""Integration tests: real SQLite files (PostgreSQL where configured), fake Rasa and Telegram."""
