"""The unit tests need neither Rasa nor TensorFlow: importing every unit test module (and the
conftest.py files pytest loads with them) leaves `rasa`, `rasa_sdk` and `tensorflow` out of
`sys.modules`. A test that needs them is an integration test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

UNIT = Path(__file__).resolve().parent
HEAVY = {"rasa", "rasa_sdk", "tensorflow"}


def unit_modules() -> list[str]:
    """Every module under tests/unit but this one, and the conftest.py files above them."""
    files = [p for p in sorted(UNIT.rglob("*.py")) if p != Path(__file__).resolve()]
    files += [p for p in (ROOT / "tests" / "conftest.py",) if p.exists()]
    names = []
    for path in files:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_importing_the_unit_tests_loads_no_rasa_and_no_tensorflow() -> None:
    modules = unit_modules()
    assert "tests.unit" in modules and len(modules) > 10
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    path = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "fhb" in loaded and "bot" in loaded  # it did import the tests
    assert sorted(loaded & HEAVY) == []
