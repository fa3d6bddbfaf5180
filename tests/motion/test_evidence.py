"""Every numeric constant of retrowalk.motion is named in docs/evidence.md with its source."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

EVIDENCE = (Path(__file__).resolve().parents[2] / "docs" / "evidence.md").read_text()
MODULES = [
    "analysis",
    "bouts",
    "datasets",
    "direction",
    "gravity",
    "readers",
    "recording",
    "resample",
    "speed",
    "steadiness",
    "steps",
    "storage",
]


def _constants(module_name: str) -> list[str]:
    module = importlib.import_module(f"retrowalk.motion.{module_name}")
    return [
        name
        for name, value in vars(module).items()
        if name.isupper()
        and isinstance(value, int | float | tuple)
        and not isinstance(value, bool)
        and not (isinstance(value, tuple) and all(isinstance(v, str) for v in value))
    ]


@pytest.mark.parametrize("module_name", MODULES)
def test_constants_are_documented(module_name: str):
    missing = [name for name in _constants(module_name) if name not in EVIDENCE]
    assert not missing, f"not in docs/evidence.md: {missing}"
