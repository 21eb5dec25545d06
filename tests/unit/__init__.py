"""Unit tests: no server, no Rasa, no TensorFlow (test_unit_tests_are_pure.py checks)."""
