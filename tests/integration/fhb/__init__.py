"""Integration tests of fhb/: the visit database and its migrations."""
