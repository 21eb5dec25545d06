"""Integration tests of actions/ (the Rasa glue): custom actions on trackers built in code."""
