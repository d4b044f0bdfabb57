"""The README's promises: its two set-up commands and its sample output stay true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_screen_has_exactly_two_setup_commands() -> None:
    first_block = re.search(r"```console\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line for line in first_block.group(1).splitlines() if line.startswith("$ ")]
    assert len(commands) == 2
    assert "depcheck check examples/facteur" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "-m pytest -q" in ci and "'.[test]'" in ci


def test_sample_output_is_what_depcheck_prints() -> None:
    block = re.search(r"## What it reports\n\n```text\n\$ depcheck check examples/facteur\n(.*?)```", README, re.S)
    assert block is not None
    result = subprocess.run(
        [sys.executable, "-m", "depcheck", "check", "examples/facteur", "--no-color"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.stdout == block.group(1)
