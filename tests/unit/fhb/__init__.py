"""Unit tests of the core package fhb/ (no database, no Rasa)."""
