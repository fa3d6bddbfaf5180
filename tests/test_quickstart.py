"""The quick start as a new user meets it (issue 13): ``make run`` says what it installs, step
by step, and the README's quick start says how to choose another port."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from retrowalk.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    return section.split("\n## ", 1)[0]


def test_the_quick_start_names_the_port_setting_serve_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = quick_start()
    assert "RETROWALK_PORT" in text
    example = re.search(r"RETROWALK_PORT=(\d+) make run", text)
    assert example is not None
    # The variable named is the one `retrowalk serve` reads (Settings.port).
    monkeypatch.setenv("RETROWALK_PORT", example.group(1))
    assert Settings().port == int(example.group(1))


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_shows_each_install_step_and_the_installers_progress() -> None:
    # -n: print the recipe without running it; -B: as if the environment were missing.
    recipe = subprocess.run(
        ["make", "-n", "-B", ".venv/.installed-stamp"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    steps = re.findall(r"step (\d) of 3", recipe)
    assert {"1", "2", "3"} <= set(steps)
    installs = [line for line in recipe.splitlines() if "pip install" in line]
    assert installs
    assert not [line for line in installs if "--quiet" in line]
