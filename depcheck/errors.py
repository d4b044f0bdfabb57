"""What stops a run (exit 2). A problem in a user's file is a Diagnostic, never one of these."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2


class DepcheckError(Exception):
    """depcheck cannot do its job: bad option, unreadable config, missing path."""
