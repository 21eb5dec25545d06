"""Integration tests of bot/: channels, outreach, staff pages and the command line."""
