"""Progress on a terminal's stderr, run as a user runs it: `python -m depcheck` with stderr on a real pty.

The progress is for a person at a terminal only. Whatever stderr is, stdout (every
format), `--output-file`, pipes and CI logs get exactly the bytes they get without it.
DEPCHECK_PROGRESS_DELAY=0 makes the display start at once instead of after a second.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FILES = 450  # enough for worker processes (depcheck.scan.cache.PARALLEL_THRESHOLD)
SHOWN = b"Scanning files"
HIDE_CURSOR, SHOW_CURSOR, ERASE_LINE = b"\x1b[?25l", b"\x1b[?25h", b"\x1b[2K"


@dataclass
class Run:
    returncode: int
    stdout: bytes  # b"" when stdout was the terminal
    stderr: bytes  # b"" when stderr was the terminal
    terminal: bytes  # what the pty received


def depcheck(
    *args: str,
    cwd: Path,
    terminal: str = "",  # "", "stderr" or "stdout+stderr": which streams are the pty
    env: dict[str, str] | None = None,
    python_flags: tuple[str, ...] = (),
    interrupt_when: bytes | None = None,
) -> Run:
    full_env = {key: value for key, value in os.environ.items() if key not in ("CI", "DEPCHECK_PROGRESS_DELAY")}
    full_env.update({"TERM": "xterm-256color", "NO_COLOR": "", "DEPCHECK_PROGRESS_DELAY": "0", **(env or {})})
    command = [sys.executable, *python_flags, "-m", "depcheck", *args]
    if not terminal:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd, env=full_env, timeout=120
        )
        return Run(returncode=done.returncode, stdout=done.stdout, stderr=done.stderr, terminal=b"")

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=slave if terminal == "stdout+stderr" else subprocess.PIPE,
            stderr=slave,
            cwd=cwd,
            env=full_env,
        )
    finally:
        os.close(slave)  # the child's copies remain: reading ends (EIO) once they are all closed
    received: list[bytes] = []

    def read_terminal() -> None:
        # Read as the child writes: a full pty would block it. Linux ends the reading with EIO.
        interrupted = interrupt_when is None
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            received.append(chunk)
            if not interrupted and interrupt_when in b"".join(received):
                process.send_signal(signal.SIGINT)
                interrupted = True

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        reader.join(timeout=10)
        os.close(master)
    return Run(returncode=process.returncode, stdout=stdout or b"", stderr=stderr or b"", terminal=b"".join(received))


def write_project(root: Path, files: int, functions: int = 1) -> Path:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\ndependencies = ["requests>=2"]\n', encoding="utf-8"
    )
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    body = "import os\n\nimport requests\n\n" + "".join(
        f"\ndef get_{n}(x):\n    return requests.get(os.sep + str(x) + '{n}')\n" for n in range(functions)
    )
    for n in range(files):
        (package / f"module_{n}.py").write_text(body, encoding="utf-8")
    (package / "settings.py").write_text("import yaml\n", encoding="utf-8")  # one finding: DC301
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("progress"), files=FILES)


def without_elapsed(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "summary": {k: v for k, v in report["summary"].items() if k != "elapsed_ms"}}


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "worker-processes"])
@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_terminal_shows_progress_and_stdout_is_unchanged(project: Path, jobs: str, cache: list[str]) -> None:
    args = ("check", ".", "--jobs", jobs, *cache)
    piped = depcheck(*args, cwd=project)
    shown = depcheck(*args, cwd=project, terminal="stderr")
    assert piped.returncode == shown.returncode == 1, piped.stderr
    assert SHOWN in shown.terminal and b"Checking projects" in shown.terminal
    assert f"{FILES + 2}/{FILES + 2}".encode() in shown.terminal  # every file, the cached ones too
    assert shown.terminal.rindex(SHOW_CURSOR) > shown.terminal.rindex(HIDE_CURSOR)
    assert shown.stdout == piped.stdout
    assert b"DC301" in shown.stdout and b"\x1b" not in shown.stdout


def test_json_on_stdout_is_the_same_document(project: Path) -> None:
    piped = depcheck("check", ".", "--format", "json", "--no-cache", cwd=project)
    shown = depcheck("check", ".", "--format", "json", "--no-cache", cwd=project, terminal="stderr")
    assert SHOWN in shown.terminal
    assert without_elapsed(json.loads(shown.stdout)) == without_elapsed(json.loads(piped.stdout))
    assert [d["code"] for d in json.loads(shown.stdout)["diagnostics"]] == ["DC301"]


@pytest.mark.parametrize("output_format", ["text", "github", "sarif"])
def test_output_file_is_unchanged(project: Path, tmp_path: Path, output_format: str) -> None:
    piped = depcheck("check", ".", "--format", output_format, "--output-file", str(tmp_path / "piped"), cwd=project)
    shown = depcheck(
        "check",
        ".",
        "--format",
        output_format,
        "--output-file",
        str(tmp_path / "shown"),
        cwd=project,
        terminal="stderr",
    )
    assert SHOWN in shown.terminal
    assert piped.stdout == shown.stdout == b""
    assert (tmp_path / "shown").read_bytes() == (tmp_path / "piped").read_bytes()
    assert b"\x1b" not in (tmp_path / "shown").read_bytes()


def test_display_is_erased_before_the_report_on_a_shared_terminal(project: Path) -> None:
    piped = depcheck("check", ".", "--format", "json", cwd=project)
    shown = depcheck("check", ".", "--format", "json", cwd=project, terminal="stdout+stderr")
    assert SHOWN in shown.terminal
    # Everything after the display's last erase is the report, and nothing but the report.
    report = shown.terminal[shown.terminal.rindex(ERASE_LINE) + len(ERASE_LINE) :].replace(b"\r\n", b"\n")
    assert without_elapsed(json.loads(report)) == without_elapsed(json.loads(piped.stdout))


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"CI": "1"}, ()),
        ({"CI": "true"}, ("--format", "json")),
        ({"TERM": "dumb"}, ()),
        ({}, ("--quiet",)),
        ({"DEPCHECK_PROGRESS_DELAY": "60"}, ()),  # a run shorter than the delay shows nothing
    ],
    ids=["ci", "ci-json", "dumb-terminal", "quiet", "quicker-than-the-delay"],
)
def test_terminal_without_progress(project: Path, env: dict[str, str], args: tuple[str, ...]) -> None:
    shown = depcheck("check", ".", "--no-cache", *args, cwd=project, terminal="stderr", env=env)
    assert shown.returncode == 1
    assert shown.terminal == b""
    assert b"DC301" in shown.stdout


def test_pipe_gets_no_progress(project: Path) -> None:
    piped = depcheck("check", ".", "--no-cache", cwd=project)
    assert piped.returncode == 1
    assert piped.stderr == b""
    assert b"DC301" in piped.stdout and b"\x1b" not in piped.stdout


@pytest.mark.parametrize(("delay", "imported"), [("60", False), ("0", True)], ids=["never-shown", "shown"])
def test_rich_progress_is_imported_only_to_show_it(project: Path, delay: str, imported: bool) -> None:
    # -X importtime lists every import on stderr, here the terminal; the JSON report needs no rich at all.
    shown = depcheck(
        "check",
        ".",
        "--format",
        "json",
        cwd=project,
        terminal="stderr",
        env={"DEPCHECK_PROGRESS_DELAY": delay},
        python_flags=("-X", "importtime"),
    )
    assert (b"rich.progress\r\n" in shown.terminal) is imported
    assert (SHOWN in shown.terminal) is imported


def test_interrupt_erases_the_display_and_shows_the_cursor(tmp_path: Path) -> None:
    # About a second of scanning in one process, interrupted as soon as the display is up.
    slow = write_project(tmp_path, files=1000, functions=150)
    shown = depcheck("check", ".", "--no-cache", "--jobs", "1", cwd=slow, terminal="stderr", interrupt_when=SHOWN)
    assert shown.returncode != 0 and shown.stdout == b"", "the run ended before it could be interrupted"
    assert shown.terminal.rindex(SHOW_CURSOR) > shown.terminal.rindex(SHOWN)
    assert ERASE_LINE in shown.terminal[shown.terminal.rindex(SHOW_CURSOR) :]
