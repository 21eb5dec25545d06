"""Unit tests of bot/: channels, outreach and staff parts that need no server or database."""
