"""`depcheck.cli`'s fast path against Typer: for every command line, the same call, output and exit code.

The fast path reads the same `Option`/`Argument` declarations Typer is given; it
must either do exactly what Typer does or leave the command line to Typer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from depcheck import cli, run
from depcheck.errors import DepcheckError, ExitCode

ROOT = Path(__file__).parent.parent.parent

# (argv as a user types it, whether the fast path takes it)
CASES = [
    pytest.param([], True, id="bare"),
    pytest.param(["check"], True, id="check"),
    pytest.param(["examples/facteur"], True, id="path"),
    pytest.param(["check", "a", "b/c"], True, id="paths"),
    pytest.param(["check", "check"], True, id="path-named-check"),
    pytest.param(["--format", "json"], True, id="format"),
    pytest.param(["--format=sarif", "a"], True, id="format-equals"),
    pytest.param(["--format", "github", "--format", "gitlab"], False, id="format-twice"),
    pytest.param(["--format", "xml"], False, id="format-not-a-choice"),
    pytest.param(["--format", "JSON"], False, id="format-wrong-case"),
    pytest.param(["--format"], False, id="format-no-value"),
    pytest.param(["--format="], False, id="format-empty"),
    pytest.param(["--output-file", "report.txt"], True, id="output-file"),
    pytest.param(["--output-file", "-"], False, id="output-file-dash"),
    pytest.param(["--select", "DC1,DC201", "--ignore", "DC3"], True, id="select-ignore"),
    pytest.param(["--select=DC1", "--ignore=DC302"], True, id="select-ignore-equals"),
    pytest.param(["--select", "-DC1"], False, id="select-dash-value"),
    pytest.param(["--select", "--quiet"], False, id="select-option-as-value"),
    pytest.param(["--fail-on", "error"], True, id="fail-on"),
    pytest.param(["--fail-on", "fatal"], False, id="fail-on-not-a-choice"),
    pytest.param(["--config", "x.toml", "--python", "/usr/bin/python3"], True, id="config-python"),
    pytest.param(["--fix"], True, id="fix"),
    pytest.param(["--unsafe-fixes", "--diff"], True, id="unsafe-fixes-diff"),
    pytest.param(["--fix=true"], False, id="flag-with-value"),
    pytest.param(["--no-cache", "--no-color", "-q"], True, id="flags"),
    pytest.param(["-q", "-q"], False, id="flag-twice"),
    pytest.param(["-q", "--quiet"], False, id="flag-both-spellings"),
    pytest.param(["-j", "2"], True, id="jobs-short"),
    pytest.param(["--jobs", "16", "a"], True, id="jobs"),
    pytest.param(["--jobs=1"], True, id="jobs-equals"),
    pytest.param(["-j2"], False, id="jobs-attached"),
    pytest.param(["-qj", "2"], False, id="short-flags-combined"),
    pytest.param(["-j", "0"], False, id="jobs-below-min"),
    pytest.param(["-j", "02"], False, id="jobs-leading-zero"),
    pytest.param(["-j", "+2"], False, id="jobs-plus"),
    pytest.param(["-j", "two"], False, id="jobs-not-a-number"),
    pytest.param(["-j", "²"], False, id="jobs-unicode-digit"),
    pytest.param(["--", "-a"], False, id="double-dash"),
    pytest.param(["-"], False, id="dash"),
    pytest.param([""], False, id="empty-path"),
    pytest.param(["--bogus"], False, id="unknown-option"),
    pytest.param(["check", "--version"], False, id="version-after-check"),
    pytest.param(["--help"], False, id="help"),
    pytest.param(["-h"], False, id="help-short"),
    pytest.param(["check", "--help"], False, id="check-help"),
    pytest.param(["check", "-q", "--help"], False, id="check-help-late"),
    pytest.param(["--version"], True, id="version"),
    pytest.param(["--version", "check"], False, id="version-then-command"),
    pytest.param(["rules"], False, id="rules"),
    pytest.param(["rule", "DC101"], False, id="rule"),
    pytest.param(
        ["a", "--format", "json", "-q", "b", "--fail-on=info", "--select", "DC2", "-j", "3", "--no-color"],
        True,
        id="everything-interleaved",
    ),
]


def _outcome(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Any, str, str]:
    try:
        cli.main(list(argv))
        code: Any = None
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("result", ["findings", "ok", "error", "interrupted", "crash"])
@pytest.mark.parametrize(("argv", "fast"), CASES)
def test_fast_path_does_what_typer_does(
    argv: list[str], fast: bool, result: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    def check_command(**kwargs: Any) -> int:
        calls.append(kwargs)
        print("report")
        if result == "error":
            raise DepcheckError("no such file")
        if result == "interrupted":
            raise KeyboardInterrupt
        if result == "crash":
            raise RuntimeError("a bug")
        return ExitCode.FINDINGS if result == "findings" else ExitCode.OK

    monkeypatch.setattr(run, "check_command", check_command)
    taken: list[bool] = []
    real_fast = cli._fast

    def spy(args: list[str]) -> Any:
        call = real_fast(args)
        taken.append(call is not None)
        return call

    monkeypatch.setattr(cli, "_fast", spy)
    with_fast = _outcome(argv, capsys), calls[:]
    assert taken == [fast]

    calls.clear()
    monkeypatch.setattr(cli, "_fast", lambda args: None)
    with_typer = _outcome(argv, capsys), calls[:]
    assert with_fast == with_typer


def test_a_completion_request_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DEPCHECK_COMPLETE", "bash_source")
    assert cli._fast(["check"]) is None
    monkeypatch.delenv("_DEPCHECK_COMPLETE")
    assert cli._fast(["check"]) is not None


def test_every_check_option_is_understood() -> None:
    """A new option the fast path cannot read would silently send every run back to Typer."""
    declared = cli._declarations(cli.check)
    assert cli._parse(cli.check, []) == {name: default for name, (_, _, default) in declared.items()}


def test_a_closed_stdout_exits_1_quietly_on_both_paths() -> None:
    results = []
    for jobs in (["-j", "2"], ["-j2"]):  # the second spelling is left to Typer
        read, write = os.pipe()
        os.close(read)
        done = subprocess.run(
            [sys.executable, "-m", "depcheck", "check", "tests/fixtures/consistent", *jobs],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
        )
        os.close(write)
        results.append((done.returncode, done.stderr))
    assert results[0] == results[1] == (1, b"")


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["tests/fixtures/consistent"], ["examples/facteur", "--format", "json"]],
    ids=["version", "text", "json"],
)
def test_typer_pydantic_and_rich_are_not_imported(argv: list[str]) -> None:
    """Typer and pydantic cost about 75 ms a run; rich is needed only for colours or unusual characters."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "depcheck", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode in (ExitCode.OK, ExitCode.FINDINGS), done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert not {"typer", "pydantic", "rich"} & imported
