"""GitLab Code Quality report: a JSON array GitLab shows in merge requests.

GitLab matches findings between the source and target branch by `fingerprint`,
so it must survive lines moving (see `sarif.fingerprints`) and be unique within
the report. Paths are relative to the repository root (`$CI_PROJECT_DIR`).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from depcheck.report.github import repository_prefix
from depcheck.report.sarif import fingerprints

if TYPE_CHECKING:
    from depcheck.engine import Result

# GitLab's levels are info, minor, major, critical, blocker.
_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render(result: Result, *, project_dir: str | os.PathLike[str] | None = None) -> str:
    """`project_dir` is the checkout (`$CI_PROJECT_DIR`); paths are made relative to it."""
    prefix = repository_prefix(result.root, project_dir)
    issues: list[dict[str, Any]] = [
        {
            "description": diagnostic.message,
            "check_name": diagnostic.code,
            "fingerprint": fingerprint,
            "severity": _SEVERITY[diagnostic.severity.value],
            "location": {"path": prefix + diagnostic.span.path, "lines": {"begin": diagnostic.span.line}},
        }
        for diagnostic, fingerprint in zip(result.diagnostics, fingerprints(result.diagnostics, path_prefix=prefix))
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
