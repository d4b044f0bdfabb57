"""Progress on stderr while `depcheck check` runs: files scanned and projects checked, each of a total.

Only a person watching a terminal sees it: stderr must be a TTY, `CI` unset or empty,
`TERM` not `dumb`, and the run not `--quiet`. Nothing is drawn during the first second,
so a quick run shows nothing at all, and the display is transient: it is erased before
the report is written. stdout, every report format, `--output-file`, pipes and CI logs
never contain it.

The display starts lazily, on the first count that arrives after the delay, and is redrawn
only when a count arrives (at most ten times a second, and always when a phase completes).
No thread is started for it, by us or by rich (`auto_refresh=False`): the scan's worker
processes are forked from a process that holds no other thread's locks. rich is imported
only when the display starts, so runs that never show it do not pay for the import.

`DEPCHECK_PROGRESS_DELAY` (seconds, a float; default 1) moves the start. It exists for
the tests, which set it to 0; it is not a user setting.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

DELAY = 1.0  # seconds before anything is drawn
REDRAW = 0.1  # seconds between two redraws

_DESCRIPTIONS = {"files": "Scanning files", "projects": "Checking projects"}


def wanted(*, quiet: bool) -> bool:
    """A person is watching stderr: a terminal, not CI, not a dumb terminal, not --quiet."""
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("DEPCHECK_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


class Reporter:
    """Takes counts from the engine (`files`, `projects`) and draws them once the delay has passed."""

    def __init__(self, delay: float) -> None:
        self._start_at = time.monotonic() + delay
        self._next_draw = 0.0
        self._counts: dict[str, tuple[int, int]] = {}
        self._display: Any = None  # a rich.progress.Progress once drawn
        self._tasks: dict[str, Any] = {}
        self._closed = False

    def files(self, done: int, total: int) -> None:
        self._count("files", done, total)

    def projects(self, done: int, total: int) -> None:
        self._count("projects", done, total)

    def _count(self, what: str, done: int, total: int) -> None:
        self._counts[what] = (done, total)
        # Called once per file: the common case must stay a dict store and a clock read.
        now = time.monotonic()
        if (now < self._next_draw and done < total) or self._closed:
            return
        if self._display is None:
            if now < self._start_at:
                self._next_draw = self._start_at
                return
            self._start()
        else:
            self._tasks_to_counts()
            self._display.refresh()
        self._next_draw = now + REDRAW

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._display = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
            # Anything printed meanwhile goes where it was going: never stdout onto stderr.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._tasks_to_counts()
        self._display.start()  # draws once

    def _tasks_to_counts(self) -> None:
        for what, (done, total) in self._counts.items():
            task = self._tasks.get(what)
            if task is None:
                self._tasks[what] = self._display.add_task(_DESCRIPTIONS[what], completed=done, total=total)
            else:
                self._display.update(task, completed=done, total=total)

    def close(self) -> None:
        """Erase the display (if it was ever drawn); later counts are ignored."""
        self._closed = True
        if self._display is not None:
            display, self._display = self._display, None
            display.stop()


@contextmanager
def shown(*, quiet: bool) -> Iterator[Reporter | None]:
    """A Reporter while the block runs, erased when it ends however it ends; None when nobody would see it."""
    if not wanted(quiet=quiet):
        yield None
        return
    reporter = Reporter(_delay())
    try:
        yield reporter
    finally:
        reporter.close()
